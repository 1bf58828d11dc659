using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Host.Configuration;

/// <summary>
/// Everything the host reads from its environment, under the seed portal's variable names
/// (<c>NATS_URL</c>, <c>PORT</c>, <c>ENV</c>, …). Read through <see cref="IConfiguration"/> so that
/// environment variables, <c>--KEY=value</c> arguments and a test's <c>UseSetting</c> all work.
/// </summary>
public sealed partial record PortalHostSettings
{
    public const string NatsUrlKey = "NATS_URL";
    public const string NatsUserKey = "NATS_USER";
    public const string NatsPasswordKey = "NATS_PASSWORD";
    public const string NatsCredsKey = "NATS_CREDS";
    public const string NatsTlsCaKey = "NATS_TLS_CA";
    public const string NatsTlsCertKey = "NATS_TLS_CERT";
    public const string NatsTlsKeyKey = "NATS_TLS_KEY";
    public const string PortKey = "PORT";
    public const string EnvKey = "ENV";
    public const string RequestTimeoutKey = "REQUEST_TIMEOUT_SECONDS";
    public const string StandaloneKey = "STANDALONE_MODE";
    public const string OutboundQueueLimitKey = "OUTBOUND_QUEUE_LIMIT";
    public const string ResumeGraceKey = "RESUME_GRACE_SECONDS";
    public const string ReplayHistoryLimitKey = "REPLAY_HISTORY_LIMIT";
    public const string ReplayHistorySecondsKey = "REPLAY_HISTORY_SECONDS";
    public const string HistoryStoreKey = "HISTORY_STORE";
    public const string HistoryStreamKey = "HISTORY_STREAM";
    public const string HistoryReplicasKey = "HISTORY_REPLICAS";
    public const string CallsPerSecondKey = "RATE_LIMIT_CALLS_PER_SECOND";
    public const string CallBurstKey = "RATE_LIMIT_CALL_BURST";
    public const string FailedLoginsPerSocketKey = "RATE_LIMIT_FAILED_LOGINS_PER_SOCKET";
    public const string FailedLoginsPerEmailKey = "RATE_LIMIT_FAILED_LOGINS_PER_EMAIL";
    public const string DrainTimeoutKey = "DRAIN_TIMEOUT_SECONDS";

    /// <summary>The Serilog default level, read by Serilog's own configuration (environment form).</summary>
    public const string LogLevelVariable = "Serilog__MinimumLevel__Default";

    /// <summary>Where traces go (OTLP, read by the OpenTelemetry exporter); no traces are made without it.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The service name traces carry (OpenTelemetry's own variable).</summary>
    public const string OtelServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>
    /// Every environment variable the host reads, for deployment checks (the Helm chart's tests
    /// compare what a pod is given with this list).
    /// </summary>
    public static readonly IReadOnlyList<string> KnownVariables =
    [
        NatsUrlKey, NatsUserKey, NatsPasswordKey, NatsCredsKey, NatsTlsCaKey, NatsTlsCertKey, NatsTlsKeyKey,
        PortKey, EnvKey, RequestTimeoutKey, StandaloneKey, OutboundQueueLimitKey, DrainTimeoutKey, LogLevelVariable,
        OtlpEndpointVariable, OtelServiceNameVariable, ResumeGraceKey, ReplayHistoryLimitKey, CallsPerSecondKey, CallBurstKey,
        FailedLoginsPerSocketKey, FailedLoginsPerEmailKey, HistoryStoreKey, HistoryStreamKey, ReplayHistorySecondsKey, HistoryReplicasKey,
    ];

    /// <summary>Variables the host cannot start without (outside standalone mode).</summary>
    public static readonly IReadOnlyList<string> RequiredVariables = [NatsUrlKey];

    public static readonly PortalHostSettings Default = new();

    /// <summary>
    /// Why the host refuses <c>STANDALONE_MODE=true</c> with a <c>NATS_URL</c> in production: the demo
    /// services would answer demo logins, an admin among them, for anyone on that bus.
    /// </summary>
    public const string StandaloneOnSharedBusInProduction =
        "STANDALONE_MODE=true runs the demo services, whose demo logins (an admin among them) must not be answered on the NATS_URL bus with ENV=production: unset NATS_URL to use the portal's own loopback nats-server, or unset STANDALONE_MODE.";

    /// <summary>One or more servers, comma-separated; null only before standalone mode fills it in.</summary>
    public string? NatsUrl { get; init; }

    public string? NatsUser { get; init; }

    public string? NatsPassword { get; init; }

    /// <summary>Path of a NATS .creds file (JWT + NKey seed).</summary>
    public string? NatsCreds { get; init; }

    public string? NatsTlsCa { get; init; }

    public string? NatsTlsCert { get; init; }

    public string? NatsTlsKey { get; init; }

    public int Port { get; init; } = 5000;

    /// <summary><c>development</c> or <c>production</c>.</summary>
    public string Environment { get; init; } = "development";

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Run the demo services in-process, on a private loopback nats-server when no NATS_URL is given;
    /// refused with a NATS_URL in production.
    /// </summary>
    public bool Standalone { get; init; }

    /// <summary>Pushes that may wait for one slow browser socket before it is closed (slow_consumer).</summary>
    public int OutboundQueueLimit { get; init; } = 1024;

    /// <summary>How long a dropped socket's session is held for <c>auth:resume</c>.</summary>
    public TimeSpan ResumeGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Broadcasts kept per subject for replay on resume (in memory, or the stream's per-subject limit).</summary>
    public int ReplayHistoryLimit { get; init; } = 500;

    /// <summary>How long a broadcast is kept for replay (in memory, or the stream's maximum age).</summary>
    public TimeSpan ReplayHistoryAge { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Where the replay history lives: JetStream when offered (auto), JetStream required, or memory.</summary>
    public HistoryStoreChoice HistoryStore { get; init; } = HistoryStoreChoice.Auto;

    /// <summary>The JetStream stream over <c>customer.broadcast.&gt;</c> that holds the history.</summary>
    public string HistoryStream { get; init; } = "HTPI_CUSTOMER_BROADCASTS";

    /// <summary>Replicas of that stream when the node creates it (a clustered JetStream takes 3 or 5).</summary>
    public int HistoryReplicas { get; init; } = 1;

    /// <summary>Per-socket calls, counted by the hub's <see cref="Hubs.CallLimitFilter"/>.</summary>
    public Hubs.CallLimitSettings CallLimits { get; init; } = Hubs.CallLimitSettings.Default;

    /// <summary>Failed-login limits, kept by the connection actors.</summary>
    public Portal.Actors.Connections.RateLimitSettings RateLimits { get; init; } = Portal.Actors.Connections.RateLimitSettings.Default;

    /// <summary>
    /// On SIGTERM, how long the node waits for its sockets to leave after telling them it is
    /// draining, before it stops anyway. Kubernetes' terminationGracePeriodSeconds must be longer.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(25);

    public bool IsProduction => string.Equals(Environment, "production", StringComparison.OrdinalIgnoreCase);

    /// <summary>TLS when a URL says so or any TLS file is given.</summary>
    public bool UsesTls =>
        NatsTlsCa is not null || NatsTlsCert is not null || NatsTlsKey is not null
        || (NatsUrl ?? "").Split(',').Any(u => u.Trim().StartsWith("tls://", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the settings; every problem found becomes one line in <paramref name="problems"/>.</summary>
    public static PortalHostSettings From(IConfiguration config, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        var callLimits = new Hubs.CallLimitSettings
        {
            CallsPerSecond = Number(config, CallsPerSecondKey, Default.CallLimits.CallsPerSecond, 1, 100_000, found),
            CallBurst = Number(config, CallBurstKey, Default.CallLimits.CallBurst, 1, 100_000, found),
        };
        var settings = new PortalHostSettings
        {
            NatsUrl = Text(config, NatsUrlKey),
            NatsUser = Text(config, NatsUserKey),
            NatsPassword = Text(config, NatsPasswordKey),
            NatsCreds = Text(config, NatsCredsKey),
            NatsTlsCa = Text(config, NatsTlsCaKey),
            NatsTlsCert = Text(config, NatsTlsCertKey),
            NatsTlsKey = Text(config, NatsTlsKeyKey),
            Port = Number(config, PortKey, Default.Port, 1, 65535, found),
            Environment = Text(config, EnvKey)?.ToLowerInvariant() ?? Default.Environment,
            RequestTimeout = TimeSpan.FromSeconds(Number(config, RequestTimeoutKey, 5, 1, 300, found)),
            Standalone = Flag(config, StandaloneKey, found),
            OutboundQueueLimit = Number(config, OutboundQueueLimitKey, Default.OutboundQueueLimit, 16, 1_000_000, found),
            ResumeGrace = TimeSpan.FromSeconds(Number(config, ResumeGraceKey, 30, 0, 3600, found)),
            ReplayHistoryLimit = Number(config, ReplayHistoryLimitKey, Default.ReplayHistoryLimit, 1, 100_000, found),
            ReplayHistoryAge = TimeSpan.FromSeconds(Number(config, ReplayHistorySecondsKey, (int)Default.ReplayHistoryAge.TotalSeconds, 1, 86_400, found)),
            HistoryStore = StoreChoice(config, found),
            HistoryStream = Text(config, HistoryStreamKey) ?? Default.HistoryStream,
            HistoryReplicas = Number(config, HistoryReplicasKey, Default.HistoryReplicas, 1, 5, found),
            CallLimits = callLimits,
            RateLimits = new Portal.Actors.Connections.RateLimitSettings
            {
                FailedLoginsPerSocket = Number(config, FailedLoginsPerSocketKey, Default.RateLimits.FailedLoginsPerSocket, 1, 100_000, found),
                FailedLoginsPerEmail = Number(config, FailedLoginsPerEmailKey, Default.RateLimits.FailedLoginsPerEmail, 1, 100_000, found),
            },
            DrainTimeout = TimeSpan.FromSeconds(Number(config, DrainTimeoutKey, (int)Default.DrainTimeout.TotalSeconds, 0, 3600, found)),
        };

        if (settings.Environment is not ("development" or "production"))
        {
            found.Add($"ENV must be 'development' or 'production', not '{settings.Environment}'.");
        }

        if (!StreamName().IsMatch(settings.HistoryStream))
        {
            found.Add($"HISTORY_STREAM must be 1 to 64 letters, digits, '_' or '-', not '{settings.HistoryStream}'.");
        }

        if (settings.NatsUrl is null && !settings.Standalone)
        {
            found.Add("NATS_URL is required (for example NATS_URL=nats://localhost:4222), or set STANDALONE_MODE=true.");
        }
        else if (settings.NatsUrl is not null)
        {
            foreach (var url in settings.NatsUrl.Split(',', StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("nats" or "tls" or "ws" or "wss"))
                {
                    // The URL may hold a password: name the position, not the text.
                    found.Add("NATS_URL must list nats://, tls://, ws:// or wss:// URLs separated by commas.");
                    break;
                }
            }
        }

        if (settings.Standalone && settings.NatsUrl is not null && settings.IsProduction)
        {
            found.Add(StandaloneOnSharedBusInProduction);
        }

        if ((settings.NatsUser is null) != (settings.NatsPassword is null))
        {
            found.Add("NATS_USER and NATS_PASSWORD must be set together.");
        }

        if ((settings.NatsTlsCert is null) != (settings.NatsTlsKey is null))
        {
            found.Add("NATS_TLS_CERT and NATS_TLS_KEY must be set together.");
        }

        foreach (var (key, path) in new[] { (NatsCredsKey, settings.NatsCreds), (NatsTlsCaKey, settings.NatsTlsCa), (NatsTlsCertKey, settings.NatsTlsCert), (NatsTlsKeyKey, settings.NatsTlsKey) })
        {
            if (path is not null && !File.Exists(path))
            {
                found.Add($"{key} names a file that does not exist: {path}");
            }
        }

        problems = found;
        return settings;
    }

    // Records print every member; the password must never reach a log line.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"NatsUrl = {RedactedUrl(NatsUrl)}, Port = {Port}, Environment = {Environment}, Standalone = {Standalone}");
        return true;
    }

    /// <summary>The server list without any user:password@ part, for log lines.</summary>
    public static string RedactedUrl(string? urls) =>
        urls is null
            ? "(none)"
            : string.Join(",", urls.Split(',', StringSplitOptions.TrimEntries).Select(u =>
                Uri.TryCreate(u, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0
                    ? $"{uri.Scheme}://***@{uri.Authority}"
                    : u));

    private static string? Text(IConfiguration config, string key) =>
        config[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static int Number(IConfiguration config, string key, int fallback, int min, int max, List<string> problems)
    {
        var text = Text(config, key);
        if (text is null)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        problems.Add($"{key} must be a whole number from {min} to {max}, not '{text}'.");
        return fallback;
    }

    private static HistoryStoreChoice StoreChoice(IConfiguration config, List<string> problems)
    {
        switch (Text(config, HistoryStoreKey)?.ToLowerInvariant())
        {
            case null or "auto":
                return HistoryStoreChoice.Auto;
            case "jetstream":
                return HistoryStoreChoice.JetStream;
            case "memory":
                return HistoryStoreChoice.Memory;
            case var other:
                problems.Add($"{HistoryStoreKey} must be 'auto', 'jetstream' or 'memory', not '{other}'.");
                return HistoryStoreChoice.Auto;
        }
    }

    // JetStream's own rule for names is looser; this keeps them safe in subjects and file paths.
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex StreamName();

    private static bool Flag(IConfiguration config, string key, List<string> problems)
    {
        switch (Text(config, key)?.ToLowerInvariant())
        {
            case null or "false" or "0" or "no":
                return false;
            case "true" or "1" or "yes":
                return true;
            case var other:
                problems.Add($"{key} must be true or false, not '{other}'.");
                return false;
        }
    }
}
