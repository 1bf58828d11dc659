using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Portal.Actors.Browser;
using Portal.Host.Configuration;
using Portal.Host.Telemetry;
using Portal.Protocol;
using Portal.Protocol.Browser;

namespace Portal.Host.Browser;

/// <summary>
/// <see cref="IBrowserPush"/> over SignalR. Each socket has its own bounded <see cref="Outbox"/> with
/// one write at a time, so pushes keep their order and a slow browser only ever fills its own
/// queue; when that overflows the socket gets <c>slow_consumer</c> and is closed.
/// A broadcast prepared once is encoded once for all its sockets, as SignalR's own group sends do.
/// </summary>
public sealed partial class HubBrowserPush(IHubProtocolResolver protocols, PortalHostSettings settings, PortalMetrics metrics, ILogger<HubBrowserPush> logger)
    : IBrowserPush
{
    private readonly ConcurrentDictionary<string, Outbox> _outboxes = new(StringComparer.Ordinal);
    private long _dropped;
    private long _slowConsumers;

    /// <summary>Pushes sent to a socket that was unknown or already closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Sockets closed because their queue overflowed.</summary>
    public long SlowConsumers => Interlocked.Read(ref _slowConsumers);

    public int OpenOutboxes => _outboxes.Count;

    /// <summary>The sockets open now (a snapshot), e.g. to tell each that the node is draining.</summary>
    public IReadOnlyCollection<string> ConnectionIds => _outboxes.Keys.ToArray();

    /// <summary>Creates the socket's queue; called before the hub (and so the actors) hear of the socket.</summary>
    public void Register(HubConnectionContext connection)
    {
        var outbox = new Outbox(connection, settings.OutboundQueueLimit, WriteFailed);
        if (_outboxes.TryAdd(connection.ConnectionId, outbox))
        {
            metrics.SocketOpened();
        }
    }

    /// <summary>Drops the socket's queue; what was still queued is discarded (the socket is gone).</summary>
    public void Unregister(string connectionId)
    {
        if (_outboxes.TryRemove(connectionId, out var outbox))
        {
            metrics.SocketClosed();
            outbox.MarkGone();
        }
    }

    public void Send(string connectionId, string eventName, object payload, object? second = null)
    {
        if (Enqueue(connectionId, eventName, new SerializedHubMessage(SerializedPush.Invocation(eventName, payload, second))) && payload is ErrorPush error)
        {
            metrics.ErrorPushed(error.Code);
        }
    }

    public PreparedPush Prepare(string eventName, object payload, object? second = null) =>
        new SerializedPush(eventName, payload, second, protocols.AllProtocols);

    public void Send(string connectionId, PreparedPush push) =>
        Enqueue(connectionId, push.EventName, push is SerializedPush serialized
            ? serialized.ForOneSocket()
            : new SerializedHubMessage(SerializedPush.Invocation(push.EventName, push.Payload, push.Second)));

    /// <summary>Queues the push on the socket's outbox; false when the socket is unknown (already gone).</summary>
    private bool Enqueue(string connectionId, string eventName, SerializedHubMessage message)
    {
        if (!_outboxes.TryGetValue(connectionId, out var outbox))
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        switch (outbox.TryEnqueue(message))
        {
            case Outbox.Outcome.Queued:
                metrics.Pushed(eventName);
                break;
            case Outbox.Outcome.Full when outbox.Complete():
                Overflowed(outbox);
                break;
            default:
                // Already closing (overflowed earlier, or Close was asked): nothing more goes out.
                Interlocked.Increment(ref _dropped);
                break;
        }

        return true;
    }

    public void Close(string connectionId)
    {
        if (_outboxes.TryGetValue(connectionId, out var outbox))
        {
            outbox.CloseAfterQueued();
        }
    }

    private void Overflowed(Outbox outbox)
    {
        Interlocked.Increment(ref _slowConsumers);
        metrics.SlowConsumer();
        LogSlowConsumer(outbox.ConnectionId, settings.OutboundQueueLimit);
        _ = TellAndAbortAsync(outbox);
    }

    private async Task TellAndAbortAsync(Outbox outbox)
    {
        try
        {
            // Best effort, past the queue: the browser should learn why it was dropped.
            var error = new ErrorPush(ErrorCodes.SlowConsumer, "Too many messages were waiting for this connection; reconnect to continue.", null, null);
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await outbox.Connection.WriteAsync(new SerializedHubMessage(SerializedPush.Invocation(EventNames.Error, error, null)), bound.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or HubException)
        {
            // The socket is being dropped anyway.
        }
        finally
        {
            outbox.Abort();
        }
    }

    private void WriteFailed(Outbox outbox, Exception error)
    {
        // The socket went away mid-write; the hub's disconnect unregisters it.
        if (error is not (IOException or InvalidOperationException or OperationCanceledException or HubException))
        {
            LogWriteFailedUnexpectedly(outbox.ConnectionId, error);
            return;
        }

        LogSendFailed(outbox.ConnectionId, error.GetType().Name);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing connection {ConnectionId}: its outbound queue of {Limit} pushes overflowed (slow_consumer)")]
    private partial void LogSlowConsumer(string connectionId, int limit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Push to connection {ConnectionId} failed unexpectedly")]
    private partial void LogWriteFailedUnexpectedly(string connectionId, Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Push to connection {ConnectionId} failed: {Error}")]
    private partial void LogSendFailed(string connectionId, string error);
}
