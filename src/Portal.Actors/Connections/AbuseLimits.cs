using System.Threading.RateLimiting;

namespace Portal.Actors.Connections;

/// <summary>How many failed logins a socket or an email may have (the per-socket call limit is the hub's, Portal.Host's CallLimitFilter).</summary>
public sealed record RateLimitSettings
{
    public static readonly RateLimitSettings Default = new();

    /// <summary>Failed logins per socket per <see cref="FailedLoginWindow"/>.</summary>
    public int FailedLoginsPerSocket { get; init; } = 5;

    /// <summary>Failed logins per email address (any socket of the node) per <see cref="FailedLoginWindow"/>.</summary>
    public int FailedLoginsPerEmail { get; init; } = 10;

    public TimeSpan FailedLoginWindow { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The node's failed-login limits, shared by every connection actor: per socket and per email
/// (successful logins do not count; resumes the auth service refuses count for the socket). Partitioned limiters
/// from System.Threading.RateLimiting: one replenishment timer per kind for the whole node, not one
/// per socket, and idle partitions are dropped by the limiter itself.
/// </summary>
public sealed class AbuseLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failedLoginsBySocket;
    private readonly PartitionedRateLimiter<string> _failedLoginsByEmail;

    public AbuseLimits(RateLimitSettings settings)
    {
        _failedLoginsBySocket = FailedLogins(settings.FailedLoginsPerSocket, settings.FailedLoginWindow);
        _failedLoginsByEmail = FailedLogins(settings.FailedLoginsPerEmail, settings.FailedLoginWindow);
    }

    /// <summary>Whether another login may be tried (neither the socket nor the email used up its failures).</summary>
    public bool LoginAllowed(string socket, string email) =>
        Available(_failedLoginsBySocket, socket) && Available(_failedLoginsByEmail, Normalise(email));

    /// <summary>Whether the socket may try another resume: failed resumes count like failed logins of the socket.</summary>
    public bool ResumeAllowed(string socket) => Available(_failedLoginsBySocket, socket);

    /// <summary>A token the auth service refused: charged to the socket's failed logins.</summary>
    public void CountFailedResume(string socket) => _failedLoginsBySocket.AttemptAcquire(socket).Dispose();

    public void CountFailedLogin(string socket, string email)
    {
        _failedLoginsBySocket.AttemptAcquire(socket).Dispose();
        _failedLoginsByEmail.AttemptAcquire(Normalise(email)).Dispose();
    }

    public void Dispose()
    {
        _failedLoginsBySocket.Dispose();
        _failedLoginsByEmail.Dispose();
    }

    private static PartitionedRateLimiter<string> FailedLogins(int limit, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0 }));

    private static bool Available(PartitionedRateLimiter<string> limiter, string key) =>
        limiter.GetStatistics(key) is not { CurrentAvailablePermits: <= 0 };

    private static string Normalise(string email) => email.Trim().ToLowerInvariant();
}
