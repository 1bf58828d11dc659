using System.Numerics;

namespace Portal.Bench.Load;

/// <summary>
/// Lock-free log-linear histogram of microseconds (HdrHistogram-style, 64 sub-buckets per power of
/// two: about 1.6 % precision), so millions of samples cost a fixed 20 KB and no sorting.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 128;
    private const int SubBuckets = 64;
    private readonly long[] _counts = new long[Linear + (48 * SubBuckets)];
    private long _count;
    private long _max;

    public long Count => Interlocked.Read(ref _count);

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _count);
        var max = Volatile.Read(ref _max);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public void Reset()
    {
        Array.Clear(_counts);
        Interlocked.Exchange(ref _count, 0);
        Interlocked.Exchange(ref _max, 0);
    }

    public LatencySummary Summary()
    {
        var total = Count;
        return new LatencySummary(total, Percentile(total, 0.50), Percentile(total, 0.99), Percentile(total, 0.999), Volatile.Read(ref _max) / 1000.0);
    }

    private double Percentile(long total, double q)
    {
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(total * q);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Volatile.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(Value(i), Volatile.Read(ref _max)) / 1000.0;
            }
        }

        return Volatile.Read(ref _max) / 1000.0;
    }

    private static int Index(long v)
    {
        if (v < Linear)
        {
            return (int)v;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)v) - 6;
        return Math.Min(Linear + ((shift - 1) * SubBuckets) + (int)((v >> shift) - SubBuckets), Linear + (48 * SubBuckets) - 1);
    }

    private static long Value(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var shift = ((index - Linear) / SubBuckets) + 1;
        var mantissa = ((index - Linear) % SubBuckets) + SubBuckets;
        return (mantissa << shift) + ((1L << shift) / 2);
    }
}

/// <summary>Milliseconds.</summary>
internal readonly record struct LatencySummary(long Samples, double P50, double P99, double P999, double Max);
