using System.Diagnostics;
using Portal.Actors.Nats;
using Portal.Host.Browser;
using Portal.Host.Configuration;
using Portal.Protocol;
using Portal.Protocol.Browser;

namespace Portal.Host.Lifecycle;

/// <summary>
/// Taking the node out of service before it stops: from <see cref="RunAsync"/> on, <c>/readyz</c> is 503
/// and new sockets are refused; every open socket is told <c>connection:status {draining: true}</c>
/// (through its outbox, in order with its other pushes) so the browser reconnects elsewhere; then the
/// drain waits, at most <see cref="PortalHostSettings.DrainTimeout"/>, for the sockets to leave.
/// </summary>
public sealed partial class NodeDrain(HubBrowserPush push, INatsGateway nats, PortalHostSettings settings, ILogger<NodeDrain> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private Task? _drain;

    public bool IsDraining => Volatile.Read(ref _drain) is not null;

    /// <summary>Starts the drain once; every caller gets the same task, done when the sockets are gone or the time is up.</summary>
    public Task RunAsync()
    {
        lock (_lock)
        {
            return _drain ??= DrainAsync();
        }
    }

    private async Task DrainAsync()
    {
        // Off the caller's thread: a signal handler or the host's stop must not run the loop inline.
        await Task.Yield();
        var clock = Stopwatch.StartNew();
        var sockets = push.ConnectionIds.ToList();
        LogDraining(logger, sockets.Count, settings.DrainTimeout.TotalSeconds);

        var status = new ConnectionStatusPush(nats.Link == NatsLink.Up ? ConnectionStatusPush.Ok : ConnectionStatusPush.Degraded, Draining: true);
        foreach (var connectionId in sockets)
        {
            push.Send(connectionId, EventNames.ConnectionStatus, status);
        }

        while (push.OpenOutboxes > 0 && clock.Elapsed < settings.DrainTimeout)
        {
            await Task.Delay(PollInterval);
        }

        var left = push.OpenOutboxes;
        if (left == 0)
        {
            LogDrained(logger, clock.Elapsed.TotalSeconds);
        }
        else
        {
            LogDrainTimedOut(logger, left, clock.Elapsed.TotalSeconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Sockets} sockets told to reconnect elsewhere; waiting up to {Seconds} s for them to leave")]
    private static partial void LogDraining(ILogger logger, int sockets, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: every socket left after {Seconds:0.0} s")]
    private static partial void LogDrained(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain time is up after {Seconds:0.0} s; closing the {Sockets} sockets still open")]
    private static partial void LogDrainTimedOut(ILogger logger, int sockets, double seconds);
}
