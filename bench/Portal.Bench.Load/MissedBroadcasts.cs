namespace Portal.Bench.Load;

/// <summary>Broadcasts missed since a checkpoint: by clients that moved and recovered, moved and did not, and stayed.</summary>
internal readonly record struct MissedBroadcasts(long Recovered, long NotRecovered, long Stayed);
