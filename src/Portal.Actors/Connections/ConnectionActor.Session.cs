using Akka.Actor;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Actors.Tenants;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;
using static Portal.Actors.Connections.SessionManager;

namespace Portal.Actors.Connections;

/// <summary>The session itself: login, resume of a token, logout, and what begins and ends a session.</summary>
public sealed partial class ConnectionActor
{
    private void StartLogin(LoginCall call)
    {
        if (!_deps.Limits.LoginAllowed(_clientId.Value, call.Email))
        {
            Refuse(call, ErrorCodes.RateLimited, "Too many failed logins; try again later.");
            return;
        }

        _pendingLogin = call;
        var body = PortalJson.ToUtf8(new AuthLoginRequest(
            call.Email, call.Password, "customer", _clientId.Value, call.RequestId ?? Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow));

        // The answer subject doubles as the reply-to, so that NATS reports "no responders" there at once.
        Nats.PublishAsync(Subjects.AuthLogin, body, headers: null, replyTo: Subjects.AuthResponse(_clientId))
            .PipeTo(Self, success: sent => new LoginPublished(sent), failure: _ => new LoginPublished(false));
        Timers.StartSingleTimer(LoginTimedOut.Instance, LoginTimedOut.Instance, _deps.Settings.RequestTimeout);
        Become(LoggingIn);
    }

    private void FinishLogin(NatsReply reply)
    {
        Timers.Cancel(LoginTimedOut.Instance);
        var call = _pendingLogin!;
        _pendingLogin = null;
        BecomeAnonymousOrAuthenticated(() =>
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
        });
    }

    private void StartResume(ResumeCall call)
    {
        if (_deps.Revoked.IsRevoked(call.Token))
        {
            Refuse(call, ErrorCodes.Unauthenticated, "This session has ended; please log in again.");
            Become(Anonymous);
            return;
        }

        var body = PortalJson.ToUtf8(new AuthVerifyRequest(call.Token));
        Nats.RequestAsync(Subjects.AuthVerify, body, headers: null, _deps.Settings.RequestTimeout)
            .PipeTo(Self, success: reply => new ResumeVerified(call, reply), failure: _ => new ResumeVerified(call, NatsReply.Unavailable));
        Become(Resuming);
    }

    private void FinishResume(ResumeVerified verified)
    {
        var call = verified.Call;
        BecomeAnonymousOrAuthenticated(() =>
        {
            var outcome = ServiceOutcome.From(verified.Reply);
            if (outcome.Failed)
            {
                Refuse(call, outcome);
                return;
            }

            var answer = PortalJson.TryFromUtf8<AuthVerifyReply>(verified.Reply.Body.Span);
            if (answer is not { Valid: true } || answer.Portal is { } portal && portal != "customer")
            {
                Refuse(call, ErrorCodes.Unauthenticated, "This session has ended; please log in again.");
                return;
            }

            if (answer.UserId is not { Length: > 0 } userId)
            {
                Refuse(call, ServiceOutcome.Malformed("a valid token without user id"));
                return;
            }

            // A fresh session: the user comes back, the tenant and feeds do not (no session is held yet).
            var user = new SessionUser(userId, answer.Email ?? "", null, answer.Role, null);
            BeginSession(new Session(user, call.Token));
            var recovered = call.LastSeq is null ? (bool?)null : false;
            Push.Respond(_route, call, new ResumeResponse(true, user, null, null, recovered, null, call.RequestId));
        });
    }


    private void Logout(LogoutCall call)
    {
        var hash = RevokedTokens.Hash(_session!.Token);

        // Ended (and the manager told) before the revocation goes out, so that its echo from NATS
        // finds no session here to end a second time.
        EndSessionThen(() => Push.Respond(_route, call, new SuccessResponse(true, null, call.RequestId)));
        _deps.Revoked.Revoke(hash);
        _ = Nats.PublishAsync(Subjects.SessionRevoked, PortalJson.ToUtf8(new SessionRevoked(hash)));
    }

    private void BeginSession(Session session)
    {
        _session = session;
        _tenants = StartTenantsChild(session);
        Context.Parent.Tell(new SessionBegan(RevokedTokens.Hash(session.Token)));
    }

    // Made again if it ever stopped (it gives up after too many restarts in a minute).
    private IActorRef TenantsChild => _tenants ??= StartTenantsChild(_session!);

    private IActorRef StartTenantsChild(Session session) =>
        Context.Watch(Context.ActorOf(_deps.Children.Tenants(new TenantSpec(_route, _clientId, session)), $"tenants-{++_childNames}"));

    /// <summary>Drops user, tenant and every child, then runs <paramref name="then"/> as an anonymous socket.</summary>
    private void EndSessionThen(Action then)
    {
        if (_session is not null)
        {
            Context.Parent.Tell(new SessionEnded(RevokedTokens.Hash(_session.Token)));
        }

        _generation++;
        _session = null;
        _tenant = null;
        var children = _feeds.Values.ToList();
        if (_tenants is not null)
        {
            children.Add(_tenants);
            _tenants = null;
        }

        _feeds.Clear();
        StopThen(children, () =>
        {
            Become(Anonymous);
            then();
        });
    }

    private void BecomeAnonymousOrAuthenticated(Action decide)
    {
        decide();
        Become(_session is null ? Anonymous : Authenticated);
        Stash.UnstashAll();
    }
}
