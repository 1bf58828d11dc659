namespace Portal.Host.Hubs;

/// <summary>How many calls a socket may make (<c>RATE_LIMIT_CALLS_PER_SECOND</c>, <c>RATE_LIMIT_CALL_BURST</c>).</summary>
public sealed record CallLimitSettings
{
    public static readonly CallLimitSettings Default = new();

    /// <summary>Calls per second a socket may sustain.</summary>
    public int CallsPerSecond { get; init; } = 20;

    /// <summary>Calls a socket may make at once before the per-second rate applies.</summary>
    public int CallBurst { get; init; } = 40;
}
