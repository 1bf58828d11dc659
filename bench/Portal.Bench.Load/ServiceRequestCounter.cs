using System.Collections.Concurrent;
using NATS.Client.Core;

namespace Portal.Bench.Load;

/// <summary>
/// Counts what the HTPI services are asked, by subject: a plain NATS subscription on <c>htpi.&gt;</c> beside
/// them gets a copy of every request (core NATS), as test/…/ServiceRequestSpy does.
/// </summary>
internal sealed class ServiceRequestCounter : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly NatsConnection _connection;
    private readonly INatsSub<ReadOnlyMemory<byte>> _subscription;
    private readonly Task _reading;

    private ServiceRequestCounter(NatsConnection connection, INatsSub<ReadOnlyMemory<byte>> subscription)
    {
        _connection = connection;
        _subscription = subscription;
        _reading = Task.Run(async () =>
        {
            await foreach (var message in subscription.Msgs.ReadAllAsync())
            {
                _counts.AddOrUpdate(message.Subject, 1, (_, n) => n + 1);
            }
        });
    }

    public static async Task<ServiceRequestCounter> StartAsync(string natsUrl)
    {
        // Its own connection with a deep queue: a burst of thousands of resumes must not drop a copy.
        var connection = new NatsConnection(new NatsOpts { Url = natsUrl, Name = "bench-service-request-counter", SubPendingChannelCapacity = 1_000_000 });
        var subscription = await connection.SubscribeCoreAsync<ReadOnlyMemory<byte>>("htpi.>");
        await connection.PingAsync();
        return new ServiceRequestCounter(connection, subscription);
    }

    /// <summary>Forgets what was counted so far.</summary>
    public async Task ResetAsync()
    {
        await _connection.PingAsync();
        _counts.Clear();
    }

    /// <summary>What was asked since the last reset, after a round trip that lets the copies in flight arrive.</summary>
    public async Task<SortedDictionary<string, long>> CountsAsync()
    {
        await _connection.PingAsync();
        await Task.Delay(200); // the reader may still hold copies the ping overtook in its channel
        return new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _subscription.UnsubscribeAsync();
        await _reading;
        await _connection.DisposeAsync();
    }
}
