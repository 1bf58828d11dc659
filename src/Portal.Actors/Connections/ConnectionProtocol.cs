using Portal.Protocol.Browser;

namespace Portal.Actors.Connections;

/// <summary>
/// What the session manager and a connection actor tell each other: the socket's lifecycle (it
/// dropped, a new socket resumes the session, the token was logged out) and the session's own
/// (it began, ended, moved). The hub's messages to the manager are in <see cref="SessionManager"/>.
/// </summary>
public static class ConnectionProtocol
{
    /// <summary>The socket closed; a logged-in session is held for the grace period, an anonymous one stops.</summary>
    public sealed record Detached(string ConnectionId);

    /// <summary>A new socket resumed this session with its token: move to it and replay what it missed.</summary>
    public sealed record Reattach(string ConnectionId, ResumeCall Call)
    {
        /// <summary>The resume call's trace context, so the replay joins the same trace.</summary>
        public System.Diagnostics.ActivityContext Trace { get; init; }
    }

    /// <summary>The session ended before the reattach arrived: the socket gets a fresh actor that verifies the token itself.</summary>
    public sealed record ReattachRefused(string ConnectionId, ResumeCall Call)
    {
        public System.Diagnostics.ActivityContext Trace { get; init; }
    }

    /// <summary>The session moved to <see cref="ConnectionId"/> as asked: the reattach is done.</summary>
    public sealed record Reattached(string ConnectionId);

    /// <summary>A connection actor now holds the session of this token (SHA-256 hex), so resume can find it.</summary>
    public sealed record SessionBegan(string TokenHash);

    public sealed record SessionEnded(string TokenHash);

    /// <summary>The session left <see cref="ConnectionId"/> for another socket; that socket needs a fresh, anonymous actor.</summary>
    public sealed record MovedAway(string ConnectionId);

    /// <summary>The token was logged out on some node: end the session here too.</summary>
    public sealed record Revoked
    {
        public static readonly Revoked Instance = new();
    }
}
