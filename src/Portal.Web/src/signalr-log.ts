// SignalR's log lines in the console, with one change: a lost connection is something the page expects and shows
// (the connection banner), so SignalR's "Connection disconnected with error …" is a warning, not an error that
// error monitoring would count. Everything else at Warning and above is printed as SignalR prints it.
import { type ILogger, LogLevel } from "@microsoft/signalr";

const EXPECTED_LOSS = /^Connection disconnected with error /;

export const signalRLog: ILogger = {
  log(level: LogLevel, message: string): void {
    if (level < LogLevel.Warning || level === LogLevel.None) return;
    const line = `[${new Date().toISOString()}] ${LogLevel[level]}: ${message}`;
    if (level >= LogLevel.Error && !EXPECTED_LOSS.test(message)) console.error(line);
    else console.warn(line);
  },
};
