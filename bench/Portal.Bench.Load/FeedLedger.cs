using System.Numerics;

namespace Portal.Bench.Load;

/// <summary>
/// Which of one feed's numbered broadcasts (0, 1, 2, … as the publisher sent them) one simulated browser
/// received, and how many it received more than once. Not thread-safe: its client locks around it.
/// </summary>
internal sealed class FeedLedger
{
    private ulong[] _seen = new ulong[16];

    public long Duplicates { get; private set; }

    public void Record(long number)
    {
        var word = (int)(number >> 6);
        if (word >= _seen.Length)
        {
            Array.Resize(ref _seen, Math.Max(word + 1, _seen.Length * 2));
        }

        var bit = 1UL << (int)(number & 63);
        if ((_seen[word] & bit) != 0)
        {
            Duplicates++;
            return;
        }

        _seen[word] |= bit;
    }

    /// <summary>How many distinct numbers below <paramref name="watermark"/> arrived.</summary>
    public long DistinctBelow(long watermark)
    {
        long count = 0;
        var fullWords = (int)Math.Min(watermark >> 6, _seen.Length);
        for (var i = 0; i < fullWords; i++)
        {
            count += BitOperations.PopCount(_seen[i]);
        }

        var rest = (int)(watermark & 63);
        if (rest > 0 && fullWords < _seen.Length && fullWords == (int)(watermark >> 6))
        {
            count += BitOperations.PopCount(_seen[fullWords] & ((1UL << rest) - 1));
        }

        return count;
    }
}
