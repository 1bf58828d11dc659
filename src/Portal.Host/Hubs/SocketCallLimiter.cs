using System.Threading.RateLimiting;

namespace Portal.Host.Hubs;

/// <summary>
/// The node's call buckets, one token bucket per socket keyed by its SignalR connection id. A single partitioned
/// limiter, so one replenishment timer (the limiter's 100 ms heartbeat) serves every socket of the node.
/// </summary>
/// <remarks>
/// Closed sockets leave nothing behind: the heartbeat drops a bucket that has been full for 10 s (a token
/// bucket reports itself idle only while full), and a socket that makes no more calls is full again within
/// <see cref="CallLimitSettings.CallBurst"/> / <see cref="CallLimitSettings.CallsPerSecond"/> seconds. An open
/// socket idle that long loses its bucket too and gets a full one on its next call: the same thing.
/// </remarks>
public sealed class SocketCallLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _buckets;

    public SocketCallLimiter(CallLimitSettings settings) =>
        _buckets = PartitionedRateLimiter.Create<string, string>(connectionId => RateLimitPartition.GetTokenBucketLimiter(connectionId, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.CallBurst,

                // The heartbeat adds tokens in proportion to the time elapsed, so a one-second period gives the
                // rate exactly, whatever it is, and still refills every 100 ms.
                TokensPerPeriod = settings.CallsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
            }));

    /// <summary>Takes one call from the socket's bucket; false when it is empty.</summary>
    public bool TryCall(string connectionId)
    {
        using var lease = _buckets.AttemptAcquire(connectionId);
        return lease.IsAcquired;
    }

    /// <summary>
    /// Calls the socket's bucket has let through since it was made, for diagnostics: 0 for a socket whose bucket was
    /// dropped (asking makes a fresh, full one, which is dropped again in turn).
    /// </summary>
    public long CallsCounted(string connectionId) => _buckets.GetStatistics(connectionId)?.TotalSuccessfulLeases ?? 0;

    public void Dispose() => _buckets.Dispose();
}
