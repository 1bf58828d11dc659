namespace Portal.Host.Nats;

/// <summary>Which replay history the node uses, as decided by <see cref="HistoryStreamKeeper"/>.</summary>
public enum HistoryKind
{
    /// <summary>Not known yet: NATS has not answered whether it offers JetStream.</summary>
    Undecided,

    /// <summary>The JetStream stream: every node gives the same <c>seq</c>, any node can replay.</summary>
    JetStream,

    /// <summary>Each node's own memory: a resume on another node gets <c>recovered: false</c>.</summary>
    Memory,

    /// <summary>JetStream is required (<c>HISTORY_STORE=jetstream</c>) and the server does not offer it.</summary>
    Unavailable,
}
