using System.Diagnostics;

namespace Portal.Bench.Load;

/// <summary>One client's move from a draining node to the other: when it was told, when it was answered, and how.</summary>
internal sealed class ClientMove(int from, long drainedAt, bool told)
{
    public int From { get; } = from;

    /// <summary>When the draining push (or the unexpected close) reached it; <see cref="Stopwatch"/> ticks.</summary>
    public long DrainedAt { get; } = drainedAt;

    /// <summary>True when <c>connection:status {draining: true}</c> came; false when the socket closed without it.</summary>
    public bool Told { get; } = told;

    public int Attempts { get; set; }

    public long ConnectedAt { get; set; }

    public long ResumedAt { get; set; }

    /// <summary>When the first push published after the resume was answered arrived: the feed is live again.</summary>
    public long LiveAgainAt { get; set; }

    public bool Succeeded { get; set; }

    public bool Recovered { get; set; }

    public string? LastError { get; set; }

    public string? Failure { get; set; }

    public long SnapshotPushes;

    /// <summary>Live pushes on the new socket published before the resume was answered: what the history gave back.</summary>
    public long DeliveredFromBeforeTheResume;
}
