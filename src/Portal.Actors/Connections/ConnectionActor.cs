using Akka.Actor;
using Akka.Event;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tenants;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using static Portal.Actors.Connections.ConnectionProtocol;
using ClientReply = Portal.Actors.Nats.ClientReplyRouter.ClientReply;
using SocketCall = Portal.Actors.Connections.SessionManager.SocketCall;
using SocketRejected = Portal.Actors.Connections.SessionManager.SocketRejected;

namespace Portal.Actors.Connections;

/// <summary>
/// One browser socket's session, as a state machine. It is the only place that knows the user and the
/// tenant, and it supervises a tenant child (list, select, verify) and one child per live feed.
/// This file holds the states: each lists every message it serves and where each leads, the lifecycle
/// messages (the socket dropped, a reattach, a revocation, a NATS link change, a child stopped) in
/// every one of them. The work the states call is in the other files: the session itself (<c>.Session.cs</c>),
/// moving to a new socket (<c>.Reattach.cs</c>), the tenant-scoped calls (<c>.TenantCalls.cs</c>), the children
/// (<c>.Children.cs</c>), and the actor's own messages (<c>.Messages.cs</c>).
/// </summary>
public sealed partial class ConnectionActor : ReceiveActor, IWithStash, IWithTimers
{
    private readonly SocketRoute _route;
    private readonly ClientId _clientId = ClientId.NewRandom();
    private readonly ConnectionDependencies _deps;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SessionFeeds _feeds;
    private readonly HashSet<IActorRef> _stopping = [];
    private readonly bool _greet;

    private Session? _session;
    private TenantId? _tenant;
    private IActorRef? _tenants;
    private SupervisorStrategy? _supervision;
    private int _generation;
    private int _childNames;

    // The trace context of the call being handled (its span here, else the hub's); default between calls.
    private System.Diagnostics.ActivityContext _callTrace;

    /// <param name="connectionId">The SignalR connection this actor starts on.</param>
    /// <param name="deps">What every connection actor of the node shares.</param>
    /// <param name="greet">False for a socket whose session moved elsewhere: it was greeted already.</param>
    public ConnectionActor(string connectionId, ConnectionDependencies deps, bool greet = true)
    {
        _route = new SocketRoute(connectionId);
        _deps = deps;
        _greet = greet;
        _feeds = new SessionFeeds(deps.Settings);
        Anonymous();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string connectionId, ConnectionDependencies deps, bool greet = true) =>
        Akka.Actor.Props.Create(() => new ConnectionActor(connectionId, deps, greet));

    private IBrowserPush Push => _deps.Push;

    private INatsGateway Nats => _deps.Nats;

    // ---- States ----

    /// <summary>No session. Serves login (→ LoggingIn) and resume (→ VerifyingToken); refuses every other call.</summary>
    private void Anonymous()
    {
        Receive<SocketCall>(c => c.Call is LoginCall, c => StartLogin((LoginCall)c.Call));
        Receive<SocketCall>(c => c.Call is ResumeCall, c => StartResume((ResumeCall)c.Call));
        Receive<SocketCall>(c => Refuse(c.Call, ErrorCodes.Unauthenticated, "Please log in first."));

        LifecycleWithoutSession();
        ServedInEveryState();
    }

    /// <summary>The login is out: waits for its answer (→ Ready, or back to Anonymous) and holds every call meanwhile.</summary>
    private void LoggingIn(LoginCall call)
    {
        void Answered(NatsReply reply)
        {
            Timers.Cancel(LoginTimedOut.Instance);
            ConcludeLogin(call, reply);
            BecomeSessionOrAnonymous();
        }

        Receive<ClientReply>(r => r.Kind == ClientReplyKind.Auth, r => Answered(r.NoResponders ? NatsReply.NoResponders : NatsReply.Ok(r.Body)));
        Receive<LoginPublished>(p => !p.Sent, _ => Answered(NatsReply.Unavailable));
        Receive<LoginPublished>(_ => { }); // on its way: the answer or the timeout follows
        Receive<LoginTimedOut>(_ => Answered(NatsReply.TimedOut));
        Receive<SocketCall>(_ => Stash.Stash()); // served once the answer is in

        LifecycleWithoutSession();
        ServedInEveryState();
    }

    /// <summary>A resume with no session held here: the token is being verified (→ Ready, or back to Anonymous); calls are held.</summary>
    private void VerifyingToken(ResumeCall call)
    {
        Receive<ResumeVerified>(verified =>
        {
            if (!ConcludeResume(call, verified.Reply) || call.NamedTenant is not { } tenant)
            {
                if (_session is not null)
                {
                    AnswerResume(call, call.LastSeq is null ? null : false);
                }

                BecomeSessionOrAnonymous();
                return;
            }

            AskTenantAccess(tenant);
            Become(() => RestoringTenant(call, tenant));
        });
        Receive<SocketCall>(_ => Stash.Stash()); // served once the answer is in

        LifecycleWithoutSession();
        ServedInEveryState();
    }

    /// <summary>
    /// A fresh session from a resume that names a tenant: access is being checked exactly as for a select.
    /// Granted, the tenant and the listed feeds come back; refused, the session has no tenant and no feed.
    /// With the browser's last seqs the feeds first find out whether they can replay (→ Replaying, which
    /// answers); otherwise the resume is answered at once and the feeds send snapshots (→ Ready). Everything else waits.
    /// </summary>
    private void RestoringTenant(ResumeCall call, TenantId tenant)
    {
        Receive<ResumeAccessChecked>(checkedAccess =>
        {
            // Only a grant of that very tenant restores it; a refusal, a malformed answer or a failure does not.
            var outcome = ServiceOutcome.From(checkedAccess.Reply);
            if (!outcome.Failed && TenantAccess.Granted(outcome, tenant) == true)
            {
                _tenant = tenant;
                foreach (var feed in call.Subscriptions)
                {
                    StartFeed(RestoredFeed(call, feed, tenant));
                }
            }

            if (call.LastSeq is null || _feeds.Count == 0)
            {
                // Before any push of the feeds: they ask for their snapshots only once joined.
                AnswerResume(call, call.LastSeq is null ? null : false);
                Become(Ready);
                Stash.UnstashAll();
                return;
            }

            AwaitReplays(call, _feeds.Feeds.ToDictionary(f => f, _ => (bool?)null));
        });
        KeepForTheNextState(); // the socket's calls, a tenant check; the socket dropping, a reattach, a revocation
        ServedWithSession();
        Receive<NatsLinkChanged>(PushLinkStatus);
        Receive<Terminated>(t => ChildStopped(t));
        ServedInEveryState();
    }

    /// <summary>A session on a socket, with or without a tenant: serves every call.</summary>
    private void Ready()
    {
        Receive<SocketCall>(c => c.Call is LoginCall, c => EndSession(new AfterStop.Login((LoginCall)c.Call)));
        Receive<SocketCall>(c => c.Call is ResumeCall, c => EndSession(new AfterStop.Resume((ResumeCall)c.Call)));
        Receive<SocketCall>(c => c.Call is LogoutCall, c => EndSession(Logout((LogoutCall)c.Call)));
        Receive<SocketCall>(c => c.Call is TenantsListCall, c => TenantsChild.Tell(new TenantActor.ListTenants((TenantsListCall)c.Call, c.ConnectionId) { Trace = _callTrace }));
        Receive<SocketCall>(c => c.Call is TenantSelectCall, c => Select((TenantSelectCall)c.Call, c.ConnectionId));
        Receive<SocketCall>(c => c.Call is UnsubscribeCall, c => Unsubscribe((UnsubscribeCall)c.Call));
        Receive<SocketCall>(c => ServeTenantCall(c.Call, c.ConnectionId));
        Receive<TenantActor.TenantVerified>(_ => Sender.Equals(_tenants), Verified);
        ServedWithSession();

        Receive<Detached>(IsCurrentSocket, _ =>
        {
            Detach();
            Become(Held);
        });
        Receive<Detached>(IgnoreOtherSocket);
        Receive<Reattach>(VerifyReattach);
        Receive<Revoked>(_ => EndSession(AfterStop.Revoked.Instance));
        Receive<NatsLinkChanged>(PushLinkStatus);
        Receive<Terminated>(t => ChildStopped(t));
        ServedInEveryState();
    }

    /// <summary>
    /// Waits for the children it stopped (a tenant switch, an unsubscribe, the end of a session) before
    /// <paramref name="next"/> is done. Calls and lifecycle messages wait for the state that follows.
    /// </summary>
    private void StoppingChildren(AfterStop next)
    {
        Receive<Terminated>(t => _stopping.Contains(t.ActorRef), t =>
        {
            _stopping.Remove(t.ActorRef);
            if (_stopping.Count == 0)
            {
                AllStopped(next);
            }
        });
        KeepForTheNextState(); // the socket's calls, a tenant check; the socket dropping, a reattach, a revocation
        ServedWithSession();
        Receive<NatsLinkChanged>(PushLinkStatus);
        Receive<Terminated>(t => ChildStopped(t)); // another child than the ones stopped
        ServedInEveryState();
    }

    /// <summary>No socket: the session (user, tenant, feeds) waits for <c>auth:resume</c> until the grace period ends.</summary>
    private void Held()
    {
        Receive<GraceExpired>(_ =>
        {
            _log.Info("A held session ended after its grace period");
            Context.Stop(Self);
        });
        Receive<SocketCall>(c => Push.RefuseMoved(c.ConnectionId, c.Call)); // a socket this session no longer has
        Receive<TenantActor.TenantVerified>(_ => Sender.Equals(_tenants), Verified); // asked before the drop: the session follows it
        ServedWithSession();

        Receive<Detached>(IgnoreOtherSocket);
        Receive<Reattach>(VerifyReattach);
        Receive<Revoked>(_ => EndSession(AfterStop.Revoked.Instance));
        Receive<NatsLinkChanged>(_ => { }); // no socket to tell; the feeds follow the link themselves
        Receive<Terminated>(t => ChildStopped(t));
        ServedInEveryState();
    }

    /// <summary>
    /// A resume would move this session (held, or still on its socket) to another socket: its token is
    /// being checked with the auth service first (PROTOCOL.md §3). Accepted: the session moves (→ Ready or
    /// Replaying). Refused: the session ends, even held (→ StoppingChildren), and the resuming socket's own
    /// actor answers the resume. Unknown (the service is away): the session stays as it was and the
    /// resuming socket's own actor answers. Everything else waits.
    /// </summary>
    private void VerifyingReattach(Reattach reattach, IActorRef manager)
    {
        Receive<ReattachVerified>(verified =>
        {
            switch (TokenStillValid(verified.Reply))
            {
                case true:
                    MoveSession(reattach);
                    break;
                case false:
                    manager.Tell(new ReattachRefused(reattach.ConnectionId, reattach.Call) { Trace = reattach.Trace });
                    EndSession(AfterStop.Revoked.Instance);
                    break;
                default:
                    manager.Tell(new ReattachRefused(reattach.ConnectionId, reattach.Call) { Trace = reattach.Trace });
                    BecomeSettled();
                    break;
            }
        });
        KeepForTheNextState(); // the socket's calls, a tenant check; the socket dropping, another reattach, a revocation
        Receive<GraceExpired>(_ => Stash.Stash()); // the grace ends only if the session does not move
        ServedWithSession();
        Receive<NatsLinkChanged>(PushLinkStatus);
        Receive<Terminated>(t => ChildStopped(t));
        ServedInEveryState();
    }

    /// <summary>
    /// A resume's feeds (moved with a held session, or restored by a fresh one) are finding out whether they
    /// can replay what the browser missed. Once each has said (or the wait is over), the resume is answered
    /// and then the feeds are released to push, so the answer comes first (→ Ready). The new socket's calls
    /// and lifecycle messages wait until then.
    /// </summary>
    private void Replaying(ResumeCall call, Dictionary<Feed, bool?> replays)
    {
        void Answer(bool recovered)
        {
            Timers.Cancel(ReplayTimedOut.Instance);
            OpenReservedRoute();
            AnswerResume(call, recovered);
            foreach (var feed in replays.Keys)
            {
                _feeds.ChildOf(feed)?.Tell(SubscriptionActor.ReleaseReplay.Instance);
            }

            Become(Ready);
            Stash.UnstashAll();
        }

        void Replayed(Feed feed, bool recovered)
        {
            replays[feed] = recovered;
            if (replays.Values.All(r => r is not null))
            {
                Answer(replays.Values.All(r => r == true));
            }
        }

        Receive<SubscriptionActor.Resumed>(r => replays.GetValueOrDefault(r.Feed, false) is null, r => Replayed(r.Feed, r.Recovered));
        Receive<ReplayTimedOut>(_ => Answer(recovered: false));
        KeepForTheNextState(); // the socket's calls, a tenant check; the socket dropping, a reattach, a revocation
        ServedWithSession();
        Receive<NatsLinkChanged>(PushLinkStatus);
        Receive<Terminated>(t =>
        {
            // Served after the resume's answer (a feed that stopped is reported after it); its replay will not come.
            Stash.Stash();
            if (_feeds.FeedOf(t.ActorRef) is { } feed && replays.GetValueOrDefault(feed, false) is null)
            {
                Replayed(feed, recovered: false);
            }
        });
        ServedInEveryState();
    }

    // ---- Transitions the states share ----

    private void StartLogin(LoginCall call)
    {
        if (PublishLogin(call))
        {
            Become(() => LoggingIn(call));
        }
    }

    private void StartResume(ResumeCall call)
    {
        if (VerifyToken(call))
        {
            Become(() => VerifyingToken(call));
        }
    }

    /// <summary>Back to the session's resting state: Ready on a socket, Held without one.</summary>
    private void BecomeSettled()
    {
        Become(_route.ConnectionId is null ? Held : Ready);
        Stash.UnstashAll();
    }

    private void BecomeSessionOrAnonymous()
    {
        Become(_session is null ? Anonymous : Ready);
        Stash.UnstashAll();
    }

    /// <summary>Ends the session (user, tenant, every child) and does <paramref name="next"/> once its children are gone.</summary>
    private void EndSession(AfterStop next)
    {
        var (feeds, tenants) = DropSession();
        StopChildren(feeds, CancelOnSessionEnd, next, tenants);
    }

    /// <summary>
    /// Ends <paramref name="feeds"/> (each refuses, with <paramref name="why"/>, a subscribe it has not
    /// answered yet, then stops itself) and the tenant child, then does <paramref name="next"/> (→ StoppingChildren until they are gone).
    /// </summary>
    private void StopChildren(List<IActorRef> feeds, SubscriptionActor.Cancel why, AfterStop next, IActorRef? tenants = null)
    {
        foreach (var feed in feeds)
        {
            feed.Tell(why);
            _stopping.Add(feed);
        }

        if (tenants is not null)
        {
            Context.Stop(tenants);
            _stopping.Add(tenants);
        }

        if (_stopping.Count == 0)
        {
            AllStopped(next);
            return;
        }

        Become(() => StoppingChildren(next));
    }

    private void AllStopped(AfterStop next)
    {
        switch (next)
        {
            case AfterStop.SwitchTenant switched:
                SelectVerified(switched.Verified);
                BecomeSettled();
                return;
            case AfterStop.Unsubscribed unsubscribed:
                Push.Respond(_route, unsubscribed.Call, new SuccessResponse(true, null, unsubscribed.Call.RequestId));
                BecomeSettled();
                return;
            case AfterStop.Login login:
                Become(Anonymous);
                StartLogin(login.Call);
                break;
            case AfterStop.Resume resume:
                Become(Anonymous);
                StartResume(resume.Call);
                break;
            case AfterStop.LoggedOut loggedOut:
                PublishRevocation(loggedOut.TokenHash);
                Push.Respond(_route, loggedOut.Call, new SuccessResponse(true, null, loggedOut.Call.RequestId));
                Become(Anonymous);
                break;
            case AfterStop.Revoked:
                if (_route.ConnectionId is null)
                {
                    Context.Stop(Self); // held, so nobody can be told
                    return;
                }

                Push.Send(_route, EventNames.Error, new ErrorPush(ErrorCodes.Unauthenticated, "You were logged out.", null, null));
                Become(Anonymous);
                break;
        }

        Stash.UnstashAll();
    }

    /// <summary>A resume of this session's token on another socket: the auth service is asked first (→ VerifyingReattach).</summary>
    private void VerifyReattach(Reattach reattach)
    {
        if (_session!.Token != reattach.Call.Token)
        {
            RefuseReattach(reattach); // the session ended (logout, another login) while the reattach was on its way
            return;
        }

        AskAboutToken(reattach);
        var manager = Sender;
        Become(() => VerifyingReattach(reattach, manager));
    }

    /// <summary>Moves the session to the resuming socket (→ Ready, or Replaying while its feeds catch up).</summary>
    private void MoveSession(Reattach reattach)
    {
        if (MoveTo(reattach) is not { } replays)
        {
            Become(Ready);
            Stash.UnstashAll();
            return;
        }

        AwaitReplays(reattach.Call, replays);
    }

    /// <summary>Waits, bounded, for the feeds in <paramref name="replays"/> to say whether they can replay (→ Replaying).</summary>
    private void AwaitReplays(ResumeCall call, Dictionary<Feed, bool?> replays)
    {
        Timers.StartSingleTimer(ReplayTimedOut.Instance, ReplayTimedOut.Instance, _deps.Settings.RequestTimeout);
        Become(() => Replaying(call, replays));
    }

    // ---- Handlers that serve a message the same way in several states (none changes state) ----

    /// <summary>
    /// What a state that waits (for children to stop, for feeds to replay) keeps for the state after it,
    /// which unstashes it: the socket's calls, a tenant check, the socket dropping, a reattach, a revocation.
    /// </summary>
    private void KeepForTheNextState()
    {
        Receive<SocketCall>(_ => Stash.Stash());
        Receive<TenantActor.TenantVerified>(_ => Stash.Stash());
        Receive<Detached>(_ => Stash.Stash());
        Receive<Reattach>(_ => Stash.Stash());
        Receive<Revoked>(_ => Stash.Stash());
    }

    /// <summary>
    /// The lifecycle of a state without a session (Anonymous, LoggingIn, VerifyingToken): the socket
    /// dropping stops the actor (there is nothing to hold, and a login's token could reach nobody), a
    /// reattach is refused (nothing to move), a revocation finds nothing to end, the link status is pushed.
    /// </summary>
    private void LifecycleWithoutSession()
    {
        Receive<Detached>(IsCurrentSocket, _ => Context.Stop(Self));
        Receive<Detached>(IgnoreOtherSocket);
        Receive<Reattach>(RefuseReattach);
        Receive<Revoked>(IgnoreRevoked);
        Receive<NatsLinkChanged>(PushLinkStatus);
        Receive<Terminated>(t => ChildStopped(t)); // none is left: a session's children are stopped before it ends
    }

    private bool IsCurrentSocket(Detached detached) => detached.ConnectionId == _route.ConnectionId;

    private void IgnoreOtherSocket(Detached detached) =>
        _log.Debug("A socket this session no longer has closed");

    private void RefuseReattach(Reattach reattach) =>
        Sender.Tell(new ReattachRefused(reattach.ConnectionId, reattach.Call) { Trace = reattach.Trace });

    private void IgnoreRevoked(Revoked revoked) =>
        _log.Debug("A revocation reached a socket with no session: its session ended already");

    /// <summary>The link's state, to the socket, or to the one a session is moving to: it is the socket's, not the session's.</summary>
    private void PushLinkStatus(NatsLinkChanged changed)
    {
        if ((_route.ConnectionId ?? _route.Reserved) is { } socket)
        {
            Push.Send(socket, EventNames.ConnectionStatus, new ConnectionStatusPush(changed.Link == NatsLink.Up ? ConnectionStatusPush.Ok : ConnectionStatusPush.Degraded));
        }
    }

    /// <summary>What a session's states serve alike: the tenant child's answers and the restart of a failed feed.</summary>
    private void ServedWithSession()
    {
        Receive<ClientReply>(r => r.Kind == ClientReplyKind.Tenants && _tenants is not null, r => _tenants!.Forward(r));
        Receive<RestartFeed>(restart => RestartFeedChild(restart.Feed));
    }

    /// <summary>Served alike in every state; none changes state.</summary>
    private void ServedInEveryState()
    {
        Receive<SocketRejected>(r => Push.Refuse(r.ConnectionId, r.Rejection)); // on the socket that sent the call
        Receive<DataReply>(AnswerData);

        // Late: the call, timer or child they belong to is over; each leaves a trace in the debug log.
        Receive<TenantActor.TenantVerified>(_ => Late("a tenant check of a session or child that has ended"));
        Receive<ClientReply>(r => Late($"a {r.Kind} answer after its call timed out or its session ended"));
        Receive<LoginPublished>(_ => Late("a login publish after its login ended"));
        Receive<LoginTimedOut>(_ => Late("a login timeout after its answer"));
        Receive<ResumeVerified>(_ => Late("a token check after its resume ended"));
        Receive<GraceExpired>(_ => Late("a grace period after the session was resumed"));
        Receive<ReplayTimedOut>(_ => Late("a replay timeout after the replay ended"));
        Receive<ReattachVerified>(_ => Late("a token check of a resume after it was answered"));
        Receive<ResumeAccessChecked>(_ => Late("a tenant check of a resume after it was answered"));
        Receive<SubscriptionActor.Resumed>(_ => Late("a feed's replay after the resume was answered"));
        Receive<RestartFeed>(_ => Late("a feed restart after its session ended"));
    }

    private void Late(string what) => _log.Debug("Ignored {What}", what);

    // ---- Around every message ----

    // Every call of every state: refused if it comes from a socket the session has left, and traced.
    // (The per-socket call limit is charged before any actor sees a call: Portal.Host's CallLimitFilter.)
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is not SocketCall socketCall)
        {
            return base.AroundReceive(receive, message);
        }

        if (socketCall.Call is not ResumeCall && _route.ConnectionId is { } current && socketCall.ConnectionId != current)
        {
            // Sent by a socket this session has just left, before the manager heard so: the answer is
            // the old socket's (it is no longer logged in), never the session's on the new socket.
            Push.RefuseMoved(socketCall.ConnectionId, socketCall.Call);
            return true;
        }

        // Anything started while handling the call (the NATS request above all) joins the hub call's trace.
        using var span = PortalTracing.StartUnder(socketCall.Call.Method, socketCall.Trace);

        // What a child is told while the call is handled carries this, so its work is in the same trace.
        _callTrace = span?.Context ?? socketCall.Trace;
        try
        {
            return base.AroundReceive(receive, message);
        }
        finally
        {
            _callTrace = default;
        }
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        _supervision ??= new ConnectionSupervision(child => _feeds.FeedOf(child) is not null || _stopping.Contains(child), _feeds.Failed);

    protected override void PreStart()
    {
        _deps.ReplyRouter.Tell(new ClientReplyRouter.Register(_clientId, Self));
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
        _deps.ReplyRouter.Tell(new ClientReplyRouter.Unregister(_clientId));
        Context.System.EventStream.Unsubscribe(Self);
    }

    private void Refuse(BrowserCall call, string code, string message)
    {
        _log.Info("Refused {Method} on {ConnectionId}: {Code}", call.Method, _route, code);
        Push.Refuse(_route, call, code, message);
    }

    private void Refuse(BrowserCall call, ServiceOutcome failed) => Refuse(call, failed.ErrorCode!, failed.ErrorMessage!);
}
