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
/// drain waits, at most <see cref="PortalHostSettings.DrainTimeout"/> or until <see cref="StopWaiting"/>,
/// for the sockets to leave, and closes those still open itself (a SignalR close, not the abort the
/// host's own stop would give them).
/// </summary>
public sealed partial class NodeDrain(HubBrowserPush push, INatsGateway nats, PortalHostSettings settings, ILogger<NodeDrain> logger)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the sockets closed at the end get to finish their close before the host stops anyway.</summary>
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(2);

    private static readonly Task Never = new TaskCompletionSource().Task;

    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _stopWaiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
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

    /// <summary>Ends the wait for the sockets to leave now (a second signal): those still open are closed.</summary>
    public void StopWaiting() => _stopWaiting.TrySetResult();

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

        await WaitForSocketsToLeaveAsync(settings.DrainTimeout - clock.Elapsed, _stopWaiting.Task);
        var left = push.ConnectionIds;
        if (left.Count == 0)
        {
            LogDrained(logger, clock.Elapsed.TotalSeconds);
            return;
        }

        if (_stopWaiting.Task.IsCompleted)
        {
            LogDrainCutShort(logger, left.Count, clock.Elapsed.TotalSeconds);
        }
        else
        {
            LogDrainTimedOut(logger, left.Count, clock.Elapsed.TotalSeconds);
        }

        // Each after what its outbox still holds, so the draining push goes out first.
        foreach (var connectionId in left)
        {
            push.Close(connectionId);
        }

        await WaitForSocketsToLeaveAsync(CloseWait, Never);
    }

    private async Task WaitForSocketsToLeaveAsync(TimeSpan within, Task cutShort)
    {
        var deadline = Stopwatch.StartNew();
        while (push.OpenOutboxes > 0 && deadline.Elapsed < within && !cutShort.IsCompleted)
        {
            await Task.WhenAny(Task.Delay(PollInterval), cutShort);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining: {Sockets} sockets told to reconnect elsewhere; waiting up to {Seconds} s for them to leave")]
    private static partial void LogDraining(ILogger logger, int sockets, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: every socket left after {Seconds:0.0} s")]
    private static partial void LogDrained(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain time is up after {Seconds:0.0} s; closing the {Sockets} sockets still open")]
    private static partial void LogDrainTimedOut(ILogger logger, int sockets, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain cut short after {Seconds:0.0} s; closing the {Sockets} sockets still open")]
    private static partial void LogDrainCutShort(ILogger logger, int sockets, double seconds);
}
