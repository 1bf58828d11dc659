using System.Collections.Concurrent;
using NATS.Client.Core;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// Counts what the HTPI services are asked (every subject under <c>htpi.</c>), by subject, from a plain
/// NATS subscription beside them: core NATS gives it a copy of every request.
/// </summary>
public sealed class ServiceRequestSpy : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _counts = new();
    private readonly NatsConnection _connection;
    private readonly INatsSub<ReadOnlyMemory<byte>> _subscription;
    private readonly Task _reading;

    private ServiceRequestSpy(NatsConnection connection, INatsSub<ReadOnlyMemory<byte>> subscription)
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

    public static async Task<ServiceRequestSpy> StartAsync(string natsUrl)
    {
        var connection = new NatsConnection(NatsOpts.Default with { Url = natsUrl });
        var subscription = await connection.SubscribeCoreAsync<ReadOnlyMemory<byte>>("htpi.>");
        await connection.PingAsync();
        return new ServiceRequestSpy(connection, subscription);
    }

    /// <summary>Forgets what was counted so far.</summary>
    public async Task ResetAsync()
    {
        await _connection.PingAsync();
        _counts.Clear();
    }

    /// <summary>What was asked since the start (or the last reset), after a round trip that lets every request in flight arrive.</summary>
    public async Task<IReadOnlyDictionary<string, int>> CountsAsync()
    {
        await _connection.PingAsync();
        return new Dictionary<string, int>(_counts);
    }

    public async ValueTask DisposeAsync()
    {
        await _subscription.UnsubscribeAsync();
        await _reading;
        await _connection.DisposeAsync();
    }
}
