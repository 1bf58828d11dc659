namespace Portal.Host.Configuration;

/// <summary>What <c>HISTORY_STORE</c> asks for (PROTOCOL.md §3 "History").</summary>
public enum HistoryStoreChoice
{
    /// <summary>JetStream when the NATS server offers it, else each node's memory.</summary>
    Auto,

    /// <summary>JetStream required: without it the node is not ready.</summary>
    JetStream,

    /// <summary>Each node's memory; JetStream is never asked.</summary>
    Memory,
}
