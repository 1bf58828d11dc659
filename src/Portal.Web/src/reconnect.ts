// How the page keeps its one socket alive and notices when it is not (docs/DECISIONS.md "Connection state").
// The portal pings every 3 s (SignalRExtensions.ServerKeepAlive); a socket that brings nothing for
// SERVER_TIMEOUT_MS is taken as dead, so a silent network drop shows within seconds instead of half a minute.
import type { IRetryPolicy, RetryContext } from "@microsoft/signalr";

/** Three of the portal's 3 s keep-alive pings missed: the socket is dead. */
export const SERVER_TIMEOUT_MS = 9_000;

/** How often the page pings when it has sent nothing; the portal's client timeout (30 s) is well above twice this. */
export const KEEP_ALIVE_MS = 10_000;

/** SignalR's reconnect attempts after a drop, while the browser is online; then the page's own slower loop takes over. */
const RECONNECT_DELAYS_MS = [0, 1000, 2000, 5000, 10000, 10000, 30000];

/**
 * No attempt while the browser says it is offline: SignalR gives up at once (the page then waits for the
 * `online` event and connects at that moment), rather than failing requests against a network that is not there.
 */
export const reconnectPolicy: IRetryPolicy = {
  nextRetryDelayInMilliseconds(context: RetryContext): number | null {
    if (!navigator.onLine) return null;
    return RECONNECT_DELAYS_MS[context.previousRetryCount] ?? null;
  },
};

/** Resolves at once when the browser is online, else at its next `online` event. */
export function whenOnline(): Promise<void> {
  if (navigator.onLine) return Promise.resolve();
  return new Promise((resolve) => { window.addEventListener("online", () => { resolve(); }, { once: true }); });
}
