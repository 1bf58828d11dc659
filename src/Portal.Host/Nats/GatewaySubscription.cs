using NATS.Client.Core;
using Portal.Actors.Nats;

namespace Portal.Host.Nats;

/// <summary>One subscription handed to an actor: a pump from NATS.Net's channel to its callbacks.</summary>
internal sealed class GatewaySubscription(INatsSub<ReadOnlyMemory<byte>> sub) : IAsyncDisposable
{
    private int _disposed;

    public async Task PumpAsync(Action<NatsInbound> onMessage, Action<Exception?> onEnded)
    {
        Exception? fault = null;
        try
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync())
            {
                onMessage(new NatsInbound(msg.Subject, msg.Data, msg.HasNoResponders));
            }
        }
        catch (Exception e) when (Volatile.Read(ref _disposed) == 0)
        {
            fault = e;
        }
        catch (Exception)
        {
            // Disposed while reading: a normal end.
        }

        onEnded(fault);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            await sub.UnsubscribeAsync();
        }
        catch (Exception e) when (e is NatsException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone; the server dropped the subscription with it.
        }

        await sub.DisposeAsync();
    }
}
