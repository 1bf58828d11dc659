using Portal.Host.Configuration;

namespace Portal.Host.Nats;

/// <summary>
/// What the node decided about its replay history (PROTOCOL.md §3 "History"): JetStream or memory,
/// the stream's name and its epoch. Set by <see cref="HistoryStreamKeeper"/> on every (re)connect;
/// read by whoever wires the feeds to it. <see cref="Changed"/> fires when the kind or epoch changes.
/// </summary>
public sealed class HistoryStore
{
    private volatile Decision _current;

    public HistoryStore(PortalHostSettings settings)
    {
        Choice = settings.HistoryStore;
        StreamName = settings.HistoryStream;

        // memory never asks JetStream, so it is decided from the start.
        _current = Choice == HistoryStoreChoice.Memory ? new(HistoryKind.Memory, null) : new(HistoryKind.Undecided, null);
    }

    public event Action<HistoryStore>? Changed;

    /// <summary>What <c>HISTORY_STORE</c> asked for.</summary>
    public HistoryStoreChoice Choice { get; }

    public HistoryKind Kind => _current.Kind;

    /// <summary>The stream that holds the history when <see cref="Kind"/> is JetStream.</summary>
    public string StreamName { get; }

    /// <summary>
    /// The stream's creation time (UTC, ISO 8601 with 100 ns): the same on every node and across
    /// node restarts, new when the stream is made again. Null unless <see cref="Kind"/> is JetStream.
    /// </summary>
    public string? Epoch => _current.Epoch;

    /// <summary>The node can serve with this history (not undecided, not missing a required JetStream).</summary>
    public bool IsReady => Kind is HistoryKind.JetStream or HistoryKind.Memory;

    /// <summary>The epoch of a stream made at <paramref name="created"/>.</summary>
    internal static string EpochOf(DateTimeOffset created) =>
        created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Records a decision; true when it differs from the one before.</summary>
    internal bool Decide(HistoryKind kind, string? epoch)
    {
        var next = new Decision(kind, kind == HistoryKind.JetStream ? epoch : null);
        if (next == _current)
        {
            return false;
        }

        _current = next;
        Changed?.Invoke(this);
        return true;
    }

    private sealed record Decision(HistoryKind Kind, string? Epoch);
}
