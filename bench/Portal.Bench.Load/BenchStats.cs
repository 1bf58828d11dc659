using System.Diagnostics;

namespace Portal.Bench.Load;

/// <summary>What every client of this process shares: deliveries, their latency, and what went wrong.</summary>
internal sealed class BenchStats
{
    private long _delivered;
    private long _phaseStart;
    private long _lastDelivery;
    private long _closed;
    private long _errorPushes;
    private long _stale;

    public LatencyHistogram Latency { get; } = new();

    public long Delivered => Interlocked.Read(ref _delivered);

    public long LastDelivery => Interlocked.Read(ref _lastDelivery);

    public long Closed => Interlocked.Read(ref _closed);

    public long ErrorPushes => Interlocked.Read(ref _errorPushes);

    public long Stale => Interlocked.Read(ref _stale);

    public void StartPhase(long timestamp)
    {
        Latency.Reset();
        Interlocked.Exchange(ref _delivered, 0);
        Interlocked.Exchange(ref _stale, 0);
        Interlocked.Exchange(ref _lastDelivery, timestamp);
        Interlocked.Exchange(ref _phaseStart, timestamp);
    }

    /// <summary>One broadcast reached one client; <paramref name="sentAt"/> is the publisher's <see cref="Stopwatch"/> timestamp.</summary>
    public void Deliver(long sentAt)
    {
        var now = Stopwatch.GetTimestamp();
        if (sentAt < Interlocked.Read(ref _phaseStart))
        {
            Interlocked.Increment(ref _stale); // a straggler of the previous phase
            return;
        }

        Latency.Record((now - sentAt) * 1_000_000 / Stopwatch.Frequency);
        Interlocked.Increment(ref _delivered);
        Interlocked.Exchange(ref _lastDelivery, now);
    }

    public void ClosedUnexpectedly() => Interlocked.Increment(ref _closed);

    public void ErrorPush() => Interlocked.Increment(ref _errorPushes);
}
