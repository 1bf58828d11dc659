namespace Portal.Actors.History;

/// <summary>
/// The history of a node without JetStream: each topic keeps its own broadcasts in memory and numbers
/// them itself, so there is nothing to follow or read here. Its epoch is new for every node (every
/// actor system that makes one), so a seq of another node, or of this node before a restart, never matches.
/// </summary>
public sealed class NodeMemoryHistory : IBroadcastHistory
{
    public NodeMemoryHistory()
    {
        Place = new HistoryPlace(Shared: false, Epoch: NewEpoch());
    }

    public HistoryPlace? Place { get; }

    /// <summary>A fresh memory epoch: "node-" and random letters.</summary>
    public static string NewEpoch() => "node-" + Guid.NewGuid().ToString("N")[..16];

    public Task<IHistoryFollow> FollowAsync(string subject, long? after, string? epoch, Action<HistoryMessage> onMessage, Action<Exception?> onEnded) =>
        throw new NotSupportedException("a node's memory history has nothing to follow");

    public Task<HistoryRead> ReadAsync(string subject, long after, long upTo, CancellationToken cancellationToken) =>
        throw new NotSupportedException("a node's memory history has nothing to read");
}
