namespace Portal.Actors.Topics;

/// <summary>
/// The seqs of a node's memory history: one counter for all its topics, so that a topic made again for
/// a subject (its last subscriber had left) never gives a seq the earlier one gave. One epoch then
/// covers every topic of the node, as PROTOCOL.md §1 wants; seqs grow along each subject, with gaps.
/// </summary>
internal sealed class NodeSequence
{
    private long _last;

    public long Next() => Interlocked.Increment(ref _last);
}
