using Akka.Actor;
using Akka.Event;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tenants;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;
using static Portal.Actors.Connections.SessionManager;
using static Portal.Actors.Nats.ClientReplyRouter;

namespace Portal.Actors.Connections;

/// <summary>
/// One browser socket's session, as a state machine: anonymous → logging in → authenticated →
/// tenant selected. It is the only place that knows the user and the tenant. It supervises a
/// tenant child (list, select, verify) and one child per live feed, and stops every child of the
/// old session or tenant before it serves the new one, so that no push of the old tenant can follow.
/// </summary>
public sealed class ConnectionActor : ReceiveActor, IWithStash, IWithTimers
{
    private sealed record LoginPublished(bool Sent);

    private sealed record LoginTimedOut
    {
        public static readonly LoginTimedOut Instance = new();
    }

    private sealed record ResumeVerified(ResumeCall Call, NatsReply Reply);

    private sealed record GraceExpired
    {
        public static readonly GraceExpired Instance = new();
    }

    private sealed record ReplayTimedOut
    {
        public static readonly ReplayTimedOut Instance = new();
    }

    /// <summary>A data call's reply, tagged with the session generation and tenant it was asked for.</summary>
    private sealed record DataReply(BrowserCall Call, int Generation, TenantId Tenant, NatsReply Reply);

    private readonly Dictionary<Feed, IActorRef> _feeds = [];
    private readonly HashSet<IActorRef> _stopping = [];
    private readonly SocketRoute _route;
    private readonly ClientId _clientId = ClientId.NewRandom();
    private readonly ConnectionDependencies _deps;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Session? _session;
    private TenantId? _tenant;
    private IActorRef? _tenants;
    private LoginCall? _pendingLogin;
    private Action? _afterStopping;
    private readonly bool _greet;
    private int _generation;
    private int _childNames;

    /// <param name="connectionId">The SignalR connection this actor starts on.</param>
    /// <param name="deps">What every connection actor of the node shares.</param>
    /// <param name="greet">False for a socket whose session moved elsewhere: it was greeted already.</param>
    public ConnectionActor(string connectionId, ConnectionDependencies deps, bool greet = true)
    {
        _route = new SocketRoute(connectionId);
        _deps = deps;
        _greet = greet;
        Anonymous();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string connectionId, ConnectionDependencies deps, bool greet = true) =>
        Akka.Actor.Props.Create(() => new ConnectionActor(connectionId, deps, greet));

    private IBrowserPush Push => _deps.Push;

    private INatsGateway Nats => _deps.Nats;

    // Every call of every state passes the socket's rate limit first.
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is not SocketCall socketCall)
        {
            return base.AroundReceive(receive, message);
        }

        // Anything started while handling the call (the NATS request above all) joins the hub call's trace.
        using var span = socketCall.Trace == default
            ? null
            : PortalTracing.Source.StartActivity(socketCall.Call.Method, System.Diagnostics.ActivityKind.Internal, socketCall.Trace);
        if (!_deps.Limits.TryCall(_clientId.Value))
        {
            Refuse(socketCall.Call, ErrorCodes.RateLimited, "Too many calls; slow down and try again in a moment.");
            return true;
        }

        return base.AroundReceive(receive, message);
    }

    // The tenant child restarts on any fault: it only caches the last tenant list.
    // Feed children sit behind their own backoff supervisors.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Restart);

    protected override void PreStart()
    {
        _deps.ReplyRouter.Tell(new Register(_clientId, Self));
        Context.System.EventStream.Subscribe(Self, typeof(NatsLinkChanged));
        if (_greet)
        {
            Push.Send(_route, EventNames.Connected, new ConnectedPush(_deps.Settings.WelcomeMessage, _route.ConnectionId!));
        }

        if (Nats.Link == NatsLink.Down)
        {
            Push.Send(_route, EventNames.ConnectionStatus, new ConnectionStatusPush(ConnectionStatusPush.Degraded));
        }
    }

    protected override void PostStop()
    {
        _deps.ReplyRouter.Tell(new Unregister(_clientId));
        Context.System.EventStream.Unsubscribe(Self);
    }

    // ---- States ----

    private void Anonymous()
    {
        Receive<SocketCall>(c => c.Call is LoginCall, c => StartLogin((LoginCall)c.Call));
        Receive<SocketCall>(c => c.Call is ResumeCall, c => StartResume((ResumeCall)c.Call));
        Receive<SocketCall>(c => Refuse(c.Call, ErrorCodes.Unauthenticated, "Please log in first."));
        Always();
    }

    private void LoggingIn()
    {
        Receive<ClientReply>(r => r.Kind == ClientReplyKind.Auth, r => FinishLogin(r.NoResponders ? NatsReply.NoResponders : NatsReply.Ok(r.Body)));
        Receive<LoginPublished>(p =>
        {
            if (!p.Sent)
            {
                FinishLogin(NatsReply.Unavailable);
            }
        });
        Receive<LoginTimedOut>(_ => FinishLogin(NatsReply.TimedOut));
        Receive<SocketCall>(_ => Stash.Stash());
        Always();
    }

    private void Resuming()
    {
        Receive<ResumeVerified>(FinishResume);
        Receive<SocketCall>(_ => Stash.Stash());
        Always();
    }

    private void Authenticated()
    {
        Receive<SocketCall>(c => c.Call is LoginCall, c => EndSessionThen(() => StartLogin((LoginCall)c.Call)));
        Receive<SocketCall>(c => c.Call is ResumeCall, c => EndSessionThen(() => StartResume((ResumeCall)c.Call)));
        Receive<SocketCall>(c => c.Call is LogoutCall, c => Logout((LogoutCall)c.Call));
        Receive<SocketCall>(c => c.Call is TenantsListCall, c => TenantsChild.Forward(c.Call));
        Receive<SocketCall>(c => c.Call is TenantSelectCall, c => Select((TenantSelectCall)c.Call));
        Receive<SocketCall>(c => ServeTenantCall(c.Call));
        Receive<ClientReply>(r => r.Kind == ClientReplyKind.Tenants, r => TenantsChild.Forward(r));
        Receive<TenantActor.TenantVerified>(v => Sender.Equals(_tenants), SwitchTenant);
        Receive<DataReply>(Answer);
        Always();
    }

    /// <summary>Waits for children to stop before the next state serves anything.</summary>
    private void StoppingChildren()
    {
        Receive<Terminated>(t =>
        {
            _stopping.Remove(t.ActorRef);
            if (_stopping.Count == 0)
            {
                var next = _afterStopping!;
                _afterStopping = null;
                next();
                Stash.UnstashAll();
            }
        });
        Receive<SocketCall>(_ => Stash.Stash());
        Receive<TenantActor.TenantVerified>(_ => Stash.Stash());
        Receive<DataReply>(_ => Stash.Stash());
        Always();
    }

    /// <summary>No socket: the session waits for <c>auth:resume</c> until the grace period ends.</summary>
    private void Held()
    {
        Receive<GraceExpired>(_ =>
        {
            _log.Info("A held session ended after its grace period");
            Context.Stop(Self);
        });
        Receive<TenantActor.TenantVerified>(_ => { });
        Always();
    }

    /// <summary>Waits (bounded) for each feed to replay what the new socket missed.</summary>
    private void Replaying(ResumeCall call, Dictionary<Feed, bool?> feeds)
    {
        Receive<SubscriptionActor.Resumed>(resumed =>
        {
            feeds[resumed.Feed] = resumed.Recovered;
            if (feeds.Values.All(r => r is not null))
            {
                FinishReattach(call, feeds.Values.All(r => r == true));
            }
        });
        Receive<ReplayTimedOut>(_ => FinishReattach(call, recovered: false));
        Receive<SocketCall>(_ => Stash.Stash());
        Always();
    }

    /// <summary>Handled the same in every state.</summary>
    private void Always()
    {
        Receive<Detached>(d => d.ConnectionId == _route.ConnectionId, _ => Detach());
        Receive<Detached>(_ => { }); // the session already moved to another socket
        Receive<Reattach>(Reattach);
        Receive<Revoked>(_ => _session is not null, _ =>
        {
            var held = _route.ConnectionId is null;
            EndSessionThen(() =>
            {
                Push.Send(_route, EventNames.Error, new ErrorPush(ErrorCodes.Unauthenticated, "You were logged out.", null, null));
                if (held)
                {
                    Context.Stop(Self);
                }
            });
        });
        Receive<Revoked>(_ => { });
        Receive<GraceExpired>(_ => { });
        Receive<ReplayTimedOut>(_ => { });
        Receive<SubscriptionActor.Resumed>(_ => { });
        Receive<SocketRejected>(r => Push.Refuse(_route, r.Rejection));
        Receive<NatsLinkChanged>(changed => Push.Send(
            _route,
            EventNames.ConnectionStatus,
            new ConnectionStatusPush(changed.Link == NatsLink.Up ? ConnectionStatusPush.Ok : ConnectionStatusPush.Degraded)));
        Receive<DataReply>(r => Refuse(r.Call, ErrorCodes.Unauthenticated, "The session ended before the answer arrived."));
        Receive<Terminated>(t => Forget(t.ActorRef));
        Receive<ClientReply>(_ => { }); // a late answer to a login or list that already timed out
        Receive<LoginPublished>(_ => { });
        Receive<LoginTimedOut>(_ => { });
    }

    // ---- Login, resume, logout ----

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

    // ---- Socket drops and resume ----

    private void Detach()
    {
        if (_session is null)
        {
            Context.Stop(Self);
            return;
        }

        // Keep user, tenant and feeds; live pushes are skipped and come back by replay on resume.
        _route.Detach();
        Timers.StartSingleTimer(GraceExpired.Instance, GraceExpired.Instance, _deps.Settings.ResumeGrace);
        Become(Held);
    }

    private void Reattach(Reattach reattach)
    {
        var call = reattach.Call;
        if (_session is null || _session.Token != call.Token)
        {
            // The session ended (logout, another login) while the reattach was on its way.
            Sender.Tell(new ReattachRefused(reattach.ConnectionId, call));
            return;
        }

        Timers.Cancel(GraceExpired.Instance);
        var previous = _route.ConnectionId;
        var replay = call.LastSeq is { } && _feeds.Count > 0;
        if (!replay)
        {
            // The answer reaches the new socket before any live push of the session can.
            Push.Send(reattach.ConnectionId, EventNames.ResponseOf(call.Method), ResumeAnswer(call, call.LastSeq is null ? null : true));
        }

        // From here on every push of the session, its feeds' included, goes to the new socket.
        _route.MoveTo(reattach.ConnectionId);
        if (previous is not null && previous != reattach.ConnectionId)
        {
            // The old socket is still open: told after the move, so nothing of the session follows the notice.
            Push.Send(previous, EventNames.Error, new ErrorPush(ErrorCodes.Unauthenticated, "This session was resumed on another connection.", null, null));
            Context.Parent.Tell(new MovedAway(previous));
        }

        if (!replay)
        {
            Become(Authenticated);
            Stash.UnstashAll();
            return;
        }

        // Replayed pushes come first, then the answer saying whether the replay was complete.
        var lastSeq = call.LastSeq!;
        var feeds = new Dictionary<Feed, bool?>();
        foreach (var (feed, child) in _feeds)
        {
            feeds[feed] = null;
            child.Tell(new SubscriptionActor.ResumeAfter(SeqOf(lastSeq, feed), Self));
        }

        Timers.StartSingleTimer(ReplayTimedOut.Instance, ReplayTimedOut.Instance, _deps.Settings.RequestTimeout);
        Become(() => Replaying(call, feeds));
    }

    private void FinishReattach(ResumeCall call, bool? recovered)
    {
        Timers.Cancel(ReplayTimedOut.Instance);
        Push.Respond(_route, call, ResumeAnswer(call, recovered));
        Become(Authenticated);
        Stash.UnstashAll();
    }

    private ResumeResponse ResumeAnswer(ResumeCall call, bool? recovered) => new(
        true,
        _session!.User,
        _tenant?.Value,
        _feeds.Keys.Select(f => f.ToString().ToLowerInvariant()).Order().ToList(),
        recovered,
        null,
        call.RequestId);

    private static long? SeqOf(LastSeq lastSeq, Feed feed) => feed switch
    {
        Feed.Dashboard => lastSeq.Dashboard,
        Feed.Patients => lastSeq.Patients,
        _ => lastSeq.Claims,
    };

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

    // ---- Tenants ----

    private void Select(TenantSelectCall call)
    {
        if (call.TenantId == _tenant)
        {
            // Already selected: keep the feeds.
            Push.Respond(_route, call, new TenantSelectResponse(true, call.TenantId.Value, null, null, call.RequestId));
            return;
        }

        TenantsChild.Forward(call);
    }

    private void SwitchTenant(TenantActor.TenantVerified verified)
    {
        var call = verified.Call;
        if (verified.TenantId == _tenant)
        {
            Push.Respond(_route, call, new TenantSelectResponse(true, call.TenantId.Value, verified.Tenant, null, call.RequestId));
            return;
        }

        // The old tenant's feeds stop completely before the new tenant is served.
        _generation++;
        _tenant = null;
        var feeds = _feeds.Values.ToList();
        _feeds.Clear();
        StopThen(feeds, () =>
        {
            _tenant = verified.TenantId;
            Become(Authenticated);
            Push.Respond(_route, call, new TenantSelectResponse(true, call.TenantId.Value, verified.Tenant, null, call.RequestId));
        });
    }

    private void StopThen(List<IActorRef> children, Action then)
    {
        foreach (var child in children)
        {
            Context.Stop(child);
            _stopping.Add(child);
        }

        if (_stopping.Count == 0)
        {
            then();
            return;
        }

        _afterStopping = then;
        Become(StoppingChildren);
    }

    /// <summary>A child stopped without being asked to: forget it, and tell the browser if a feed ended.</summary>
    private void Forget(IActorRef child)
    {
        _stopping.Remove(child);
        if (child.Equals(_tenants))
        {
            _tenants = null;
        }

        foreach (var feed in _feeds.Where(f => f.Value.Equals(child)).Select(f => f.Key).ToList())
        {
            _feeds.Remove(feed);
            var method = new SubscribeCall(feed).Method;
            _log.Warning("The {Feed} feed of {ConnectionId} stopped unexpectedly", feed, _route);
            Push.Refuse(_route, new CallRejection(ErrorCodes.Internal, "The live feed stopped; please subscribe again.", method, null));
        }
    }

    // ---- Tenant-scoped calls ----

    private void ServeTenantCall(BrowserCall call)
    {
        if (_tenant is not { } tenant)
        {
            Refuse(call, ErrorCodes.NoTenantSelected, "Select a tenant first.");
            return;
        }

        if (call.NamedTenant is { } named && named != tenant)
        {
            Refuse(call, ErrorCodes.Forbidden, "The call names a tenant other than the one selected.");
            return;
        }

        var session = _session!;
        switch (call)
        {
            case SubscribeCall subscribe:
                Subscribe(subscribe, tenant, session);
                break;
            case UnsubscribeCall unsubscribe:
                // Answered once the feed has stopped, so that none of its pushes follows the answer.
                List<IActorRef> stopping = _feeds.Remove(unsubscribe.Feed, out var feed) ? [feed] : [];
                StopThen(stopping, () =>
                {
                    Become(Authenticated);
                    Push.Respond(_route, call, new SuccessResponse(true, null, call.RequestId));
                });
                break;
            case PatientViewCall view:
                Read(call, tenant, session, Subjects.PatientGet, new PatientScopedRequest(tenant.Value, session.UserId, view.PatientId.Value),
                    AuditAccess.PatientResource, view.PatientId.Value);
                break;
            case ClaimsListCall list:
                Read(call, tenant, session, Subjects.ClaimsListForPatient, new PatientScopedRequest(tenant.Value, session.UserId, list.PatientId.Value),
                    AuditAccess.ClaimsResource, list.PatientId.Value);
                break;
            case ClaimGetCall get:
                Read(call, tenant, session, Subjects.ClaimsGet, new ClaimScopedRequest(tenant.Value, session.UserId, get.ClaimId.Value),
                    AuditAccess.ClaimResource, get.ClaimId.Value);
                break;
            case InsuranceListCall insurance:
                Read(call, tenant, session, Subjects.InsuranceListForPatient, new PatientScopedRequest(tenant.Value, session.UserId, insurance.PatientId.Value),
                    AuditAccess.InsuranceResource, insurance.PatientId.Value);
                break;
            case PatientAddCall add:
                Request(call, tenant, session, Subjects.PatientCreate, PortalJson.ToUtf8(new PatientCreateRequest(tenant.Value, session.UserId, add.Patient)));
                break;
            default:
                Refuse(call, ErrorCodes.Internal, "This call is not served here.");
                break;
        }
    }

    private void Subscribe(SubscribeCall call, TenantId tenant, Session session)
    {
        if (_feeds.TryGetValue(call.Feed, out var existing))
        {
            existing.Tell(new SubscriptionActor.Refresh(call.RequestId));
            return;
        }

        var spec = new SubscriptionSpec(_route, call.Feed, tenant, session, call.RequestId);
        var child = Context.ActorOf(_deps.Children.Subscription(spec), $"{call.Feed.ToString().ToLowerInvariant()}-{++_childNames}");
        Context.Watch(child);
        _feeds[call.Feed] = child;
    }

    /// <summary>A read of PHI: audited (PROTOCOL.md §2, htpi.audit.access), then requested.</summary>
    private void Read<TBody>(BrowserCall call, TenantId tenant, Session session, string subject, TBody body, string resource, string resourceId)
    {
        var audit = new AuditAccess(session.UserId, tenant.Value, resource, resourceId, DateTimeOffset.UtcNow);
        _ = Nats.PublishAsync(Subjects.AuditAccess, PortalJson.ToUtf8(audit));
        Request(call, tenant, session, subject, PortalJson.ToUtf8(body));
    }

    private void Request(BrowserCall call, TenantId tenant, Session session, string subject, byte[] body)
    {
        var generation = _generation;
        Nats.RequestAsync(subject, body, session.Headers, _deps.Settings.RequestTimeout)
            .PipeTo(Self, success: reply => new DataReply(call, generation, tenant, reply), failure: _ => new DataReply(call, generation, tenant, NatsReply.Unavailable));
    }

    private void Answer(DataReply reply)
    {
        var call = reply.Call;
        if (reply.Generation != _generation || reply.Tenant != _tenant)
        {
            // Never hand one tenant's answer to a socket that has moved on to another.
            Refuse(call, ErrorCodes.Forbidden, "The tenant changed before the answer arrived.");
            return;
        }

        var outcome = ServiceOutcome.From(reply.Reply);
        if (outcome.Failed)
        {
            Refuse(call, outcome);
            return;
        }

        object? response = call switch
        {
            PatientViewCall or PatientAddCall => Fetched(outcome, "patient") is { } patient
                ? new PatientResponse(patient.Ok, patient.Item, patient.Error, call.RequestId) : null,
            ClaimGetCall => Fetched(outcome, "claim") is { } claim
                ? new ClaimResponse(claim.Ok, claim.Item, claim.Error, call.RequestId) : null,
            ClaimsListCall => outcome.Array("claims") is { } claims ? new ClaimsListResponse(claims, null, call.RequestId) : null,
            InsuranceListCall => outcome.Array("insurance") is { } insurance ? new InsuranceListResponse(insurance, null, call.RequestId) : null,
            _ => null,
        };

        if (response is null)
        {
            Refuse(call, ServiceOutcome.Malformed($"an unexpected answer to {call.Method}"));
            return;
        }

        Push.Respond(_route, call, response);
    }

    /// <summary>Reads <c>{success, &lt;name&gt;}</c> or <c>{success: false, error}</c>; null when it is neither.</summary>
    private static (bool Ok, System.Text.Json.JsonElement? Item, string? Error)? Fetched(ServiceOutcome outcome, string name) =>
        (outcome.Bool("success"), outcome.Object(name)) switch
        {
            (true, { } item) => (true, item, null),
            (false, _) => (false, null, outcome.Text("error") ?? "The service refused the request."),
            _ => null,
        };

    private void Refuse(BrowserCall call, string code, string message)
    {
        _log.Info("Refused {Method} on {ConnectionId}: {Code}", call.Method, _route, code);
        Push.Refuse(_route, call, code, message);
    }

    private void Refuse(BrowserCall call, ServiceOutcome failed) => Refuse(call, failed.ErrorCode!, failed.ErrorMessage!);
}
