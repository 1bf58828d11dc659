namespace Portal.Actors.History;

/// <summary>
/// The node's replay history of broadcasts (PROTOCOL.md §3 "History"), as the topics need it: a
/// JetStream stream every node shares, or, without JetStream, the node's own memory (kept by each
/// topic). Implemented over NATS.Net in the host and with fakes in tests. Subjects are built by the
/// caller from validated ids.
/// </summary>
public interface IBroadcastHistory
{
    /// <summary>Where the history lives now; null while that is not decided (NATS not asked yet, or a required JetStream missing).</summary>
    HistoryPlace? Place { get; }

    /// <summary>
    /// Delivers, in order, every broadcast of <paramref name="subject"/> in the shared history after
    /// <paramref name="after"/> (null: after the newest there is now), and returns once that is in place.
    /// <paramref name="after"/> counts only in <paramref name="epoch"/>, and only while the broadcast at it is
    /// still held; otherwise the follow starts after the newest and says it is not continuous.
    /// <paramref name="onEnded"/> is called once when it ends (null: disposed; otherwise the fault).
    /// Dispose the result to stop.
    /// </summary>
    Task<IHistoryFollow> FollowAsync(string subject, long? after, string? epoch, Action<HistoryMessage> onMessage, Action<Exception?> onEnded);

    /// <summary>
    /// The broadcasts of <paramref name="subject"/> after <paramref name="after"/> up to and including
    /// <paramref name="upTo"/>, from the shared history, and whether they are all of them: complete
    /// exactly when the broadcast at <paramref name="after"/> is still held (limits drop old ones silently).
    /// </summary>
    Task<HistoryRead> ReadAsync(string subject, long after, long upTo, CancellationToken cancellationToken);
}

/// <summary>Where the history lives and the epoch its seqs belong to.</summary>
/// <param name="Shared">True: a JetStream stream every node reads (any node can replay); false: this node's memory.</param>
/// <param name="Epoch">Changes whenever a seq could be given again (the stream made anew, the node restarted).</param>
public sealed record HistoryPlace(bool Shared, string Epoch);

/// <summary>One broadcast as the history holds it; <see cref="Seq"/> is its stream sequence.</summary>
public readonly record struct HistoryMessage(string Subject, long Seq, ReadOnlyMemory<byte> Body);

/// <summary>What <see cref="IBroadcastHistory.ReadAsync"/> found.</summary>
/// <param name="Complete">The broadcast the read started after is still held, so nothing between is missing.</param>
public sealed record HistoryRead(bool Complete, IReadOnlyList<HistoryMessage> Messages);

/// <summary>A running <see cref="IBroadcastHistory.FollowAsync"/>.</summary>
public interface IHistoryFollow : IAsyncDisposable
{
    /// <summary>Every broadcast of the subject after this seq is delivered.</summary>
    long After { get; }

    /// <summary>
    /// True when it goes on from the seq it was asked to (that broadcast is still held, so nothing was
    /// missed); false when that could not be proven and it starts after the newest instead.
    /// </summary>
    bool Continuous { get; }

    /// <summary>The epoch of the history it reads.</summary>
    string Epoch { get; }
}
