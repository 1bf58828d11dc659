using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;

namespace Portal.Actors.Connections;

/// <summary>
/// The connection actor's own messages: what its timers fire, the results it pipes to itself, and what
/// it does once children have stopped. Its messages from outside are in <see cref="ConnectionProtocol"/>
/// (the session manager), <see cref="SessionManager"/> (the hub's calls) and the children's own protocols.
/// </summary>
public sealed partial class ConnectionActor
{
    private sealed record LoginPublished(bool Sent);

    private sealed record LoginTimedOut
    {
        public static readonly LoginTimedOut Instance = new();
    }

    private sealed record ResumeVerified(NatsReply Reply);

    /// <summary>The tenant service's word on the tenant a fresh resume asks to restore.</summary>
    private sealed record ResumeAccessChecked(NatsReply Reply);

    /// <summary>The auth service's word on the token of a resume that would move this session.</summary>
    private sealed record ReattachVerified(NatsReply Reply);

    private sealed record GraceExpired
    {
        public static readonly GraceExpired Instance = new();
    }

    private sealed record ReplayTimedOut
    {
        public static readonly ReplayTimedOut Instance = new();
    }

    /// <summary>A feed child failed and waits for its backoff to pass: start it again.</summary>
    private sealed record RestartFeed(Feed Feed);

    /// <summary>
    /// A data call's reply, tagged with what it was asked under: the session, its tenant generation, the
    /// tenant and the socket. It is answered only under the same; <see cref="Shape"/> reads it.
    /// </summary>
    private sealed record DataReply(BrowserCall Call, Session Session, int Generation, TenantId Tenant, string AskedOn, ReplyShape Shape, NatsReply Reply);

    /// <summary>What the actor does once the children it stopped are gone; each leads to one state.</summary>
    private abstract record AfterStop
    {
        /// <summary>The old tenant's feeds are gone: the verified tenant is selected.</summary>
        public sealed record SwitchTenant(Tenants.TenantActor.TenantVerified Verified) : AfterStop;

        /// <summary>The feed is gone: the unsubscribe is answered.</summary>
        public sealed record Unsubscribed(UnsubscribeCall Call) : AfterStop;

        /// <summary>The old session is gone: a new login starts.</summary>
        public sealed record Login(LoginCall Call) : AfterStop;

        /// <summary>The old session is gone: the token is verified for a fresh session.</summary>
        public sealed record Resume(ResumeCall Call) : AfterStop;

        /// <summary>The session is gone: the revocation goes out to every node and the logout is answered.</summary>
        public sealed record LoggedOut(LogoutCall Call, string TokenHash) : AfterStop;

        /// <summary>The token was logged out elsewhere: the socket is told; a held session stops.</summary>
        public sealed record Revoked : AfterStop
        {
            public static readonly Revoked Instance = new();
        }
    }
}
