using Akka.Actor;
using Akka.Event;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;
using static Portal.Actors.Connections.ConnectionProtocol;

namespace Portal.Actors.Connections;

/// <summary>The session itself: a login, a resume that verifies its token, a logout, and what begins and ends a session.</summary>
public sealed partial class ConnectionActor
{
    /// <summary>Sends the login; false when it was refused here (too many failures) and nothing was sent.</summary>
    private bool PublishLogin(LoginCall call)
    {
        if (!_deps.Limits.LoginAllowed(_clientId.Value, call.Email))
        {
            Refuse(call, ErrorCodes.RateLimited, "Too many failed logins; try again later.");
            return false;
        }

        var body = PortalJson.ToUtf8(new AuthLoginRequest(
            call.Email, call.Password, "customer", _clientId.Value, call.RequestId ?? Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow));

        // The answer subject doubles as the reply-to, so that NATS reports "no responders" there at once.
        Nats.PublishAsync(Subjects.AuthLogin, body, headers: null, replyTo: Subjects.AuthResponse(_clientId))
            .PipeTo(Self, success: sent => new LoginPublished(sent), failure: _ => new LoginPublished(false));
        Timers.StartSingleTimer(LoginTimedOut.Instance, LoginTimedOut.Instance, _deps.Settings.RequestTimeout);
        return true;
    }

    /// <summary>Begins the session the login's answer grants, or refuses the login.</summary>
    private void ConcludeLogin(LoginCall call, NatsReply reply)
    {
        var outcome = ServiceOutcome.From(reply);
        if (outcome.Failed)
        {
            Refuse(call, outcome);
            return;
        }

        if (outcome.Bool("success") != true)
        {
            _deps.Limits.CountFailedLogin(_clientId.Value, call.Email);
            Refuse(call, ErrorCodes.Unauthenticated, outcome.Text("error") ?? "Invalid email or password.");
            return;
        }

        var answer = PortalJson.TryFromUtf8<AuthLoginReply>(reply.Body.Span);
        if (answer?.User?.Id is not { Length: > 0 } userId || answer.Token is not { Length: > 0 } token)
        {
            Refuse(call, ServiceOutcome.Malformed("a login without user id or token"));
            return;
        }

        var user = new SessionUser(userId, answer.User.Email ?? call.Email, answer.User.Name, answer.User.Role, answer.User.Tenants);
        BeginSession(new Session(user, token));
        Push.Respond(_route, call, new LoginResponse(true, user, token, null, call.RequestId));
    }

    /// <summary>Asks the auth service about the token; false when it was refused here and nothing was asked.</summary>
    private bool VerifyToken(ResumeCall call)
    {
        if (!_deps.Limits.ResumeAllowed(_clientId.Value))
        {
            Refuse(call, ErrorCodes.RateLimited, "Too many failed logins; try again later.");
            return false;
        }

        if (_deps.Revoked.IsRevoked(call.Token))
        {
            _deps.Limits.CountFailedResume(_clientId.Value);
            Refuse(call, ErrorCodes.Unauthenticated, "This session has ended; please log in again.");
            return false;
        }

        AskAboutToken(call.Token, reply => new ResumeVerified(reply));
        return true;
    }

    /// <summary>Asks <c>htpi.auth.verify</c> about <paramref name="token"/>; the answer (or unavailable) comes back as <paramref name="answer"/> makes it.</summary>
    private void AskAboutToken(string token, Func<NatsReply, object> answer)
    {
        var body = PortalJson.ToUtf8(new AuthVerifyRequest(token));
        Nats.RequestAsync(Subjects.AuthVerify, body, headers: null, _deps.Settings.RequestTimeout)
            .PipeTo(Self, success: answer, failure: _ => answer(NatsReply.Unavailable));
    }

    /// <summary>
    /// Begins a fresh session for a token the auth service accepts (true; the caller answers the resume once
    /// it knows the tenant), or refuses the resume (a refused token counts as a failed login).
    /// </summary>
    private bool ConcludeResume(ResumeCall call, NatsReply reply)
    {
        var outcome = ServiceOutcome.From(reply);
        if (outcome.Failed)
        {
            Refuse(call, outcome);
            return false;
        }

        var answer = PortalJson.TryFromUtf8<AuthVerifyReply>(reply.Body.Span);
        if (answer is not { AcceptsCustomer: true })
        {
            _deps.Limits.CountFailedResume(_clientId.Value);
            Refuse(call, ErrorCodes.Unauthenticated, "This session has ended; please log in again.");
            return false;
        }

        if (answer.UserId is not { Length: > 0 } userId)
        {
            Refuse(call, ServiceOutcome.Malformed("a valid token without user id"));
            return false;
        }

        // A fresh session (none is held here): the user comes back; the tenant, if the call names one, once verified.
        BeginSession(new Session(new SessionUser(userId, answer.Email ?? "", null, answer.Role, null), call.Token));
        return true;
    }

    /// <summary>Asks whether the user may have the tenant a fresh resume names, exactly as a select does.</summary>
    private void AskTenantAccess(TenantId tenant)
    {
        var body = PortalJson.ToUtf8(new TenantAccessRequest(_session!.UserId, tenant.Value));
        Nats.RequestAsync(Subjects.TenantVerifyAccess, body, _session.Headers, _deps.Settings.RequestTimeout)
            .PipeTo(Self, success: reply => new ResumeAccessChecked(reply), failure: _ => new ResumeAccessChecked(NatsReply.Unavailable));
    }


    /// <summary>Refuses the token on this node at once; the revocation goes to every node once the session has ended here.</summary>
    private AfterStop Logout(LogoutCall call)
    {
        var hash = RevokedTokens.Hash(_session!.Token);
        _deps.Revoked.Revoke(hash);
        return new AfterStop.LoggedOut(call, hash);
    }

    /// <summary>
    /// Tells every node the token was logged out. Sent after the manager heard the session ended, so the
    /// echo from NATS finds no session here to end a second time.
    /// </summary>
    private void PublishRevocation(string tokenHash) =>
        _ = Nats.PublishAsync(Subjects.SessionRevoked, PortalJson.ToUtf8(new SessionRevoked(tokenHash)));

    private void BeginSession(Session session)
    {
        _session = session;
        Context.Parent.Tell(new SessionBegan(RevokedTokens.Hash(session.Token)));
    }

    /// <summary>Forgets user, tenant and feeds, tells the manager; returns the children to stop.</summary>
    private (List<IActorRef> Feeds, IActorRef? Tenants) DropSession()
    {
        if (_session is not null)
        {
            Context.Parent.Tell(new SessionEnded(RevokedTokens.Hash(_session.Token)));
        }

        _generation++;
        _session = null;
        _tenant = null;
        var tenants = _tenants;
        _tenants = null;
        return (_feeds.RemoveAll(), tenants);
    }
}
