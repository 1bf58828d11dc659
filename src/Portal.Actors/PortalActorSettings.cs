namespace Portal.Actors;

/// <summary>Timings of the actor tree; every value has a default that suits production.</summary>
public sealed record PortalActorSettings
{
    public static readonly PortalActorSettings Default = new();

    /// <summary>How long a NATS request or a per-socket answer may take (PROTOCOL.md §2: 5 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First delay before a failed subscription child is restarted.</summary>
    public TimeSpan RestartBackoffMin { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between restarts while NATS stays down.</summary>
    public TimeSpan RestartBackoffMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The delay before try <paramref name="attempt"/> (from 1): the minimum, doubling up to the maximum.</summary>
    public TimeSpan BackoffBefore(int attempt) =>
        TimeSpan.FromTicks(Math.Min(RestartBackoffMax.Ticks, RestartBackoffMin.Ticks << Math.Min(attempt - 1, 20)));

    /// <summary>How long a dropped socket's session (user, tenant, feeds) is held for <c>auth:resume</c>.</summary>
    public TimeSpan ResumeGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many broadcasts per subject the node keeps for replay on resume.</summary>
    public int ReplayHistoryLimit { get; init; } = 500;

    /// <summary>How old a kept broadcast may get before it is dropped from the replay history.</summary>
    public TimeSpan ReplayHistoryAge { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Failed-login limits per socket and per email (<c>rate_limited</c>).</summary>
    public Connections.RateLimitSettings RateLimits { get; init; } = Connections.RateLimitSettings.Default;

    /// <summary>What the portal answers in <c>connected</c>.</summary>
    public string WelcomeMessage { get; init; } = "Connected to the HTPI customer portal";
}
