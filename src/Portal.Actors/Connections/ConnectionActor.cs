using Akka.Actor;
using Akka.Event;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tenants;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using static Portal.Actors.Connections.SessionManager;
using static Portal.Actors.Nats.ClientReplyRouter;

namespace Portal.Actors.Connections;

/// <summary>
/// One browser socket's session, as a state machine: anonymous → logging in → authenticated →
/// tenant selected. It is the only place that knows the user and the tenant. It supervises a
/// tenant child (list, select, verify) and one child per live feed, and stops every child of the
/// old session or tenant before it serves the new one, so that no push of the old tenant can follow.
/// This file holds the states; the session flows, the hold-and-reattach of a dropped socket and the
/// tenant calls are in <c>ConnectionActor.Session.cs</c>, <c>.Reattach.cs</c> and <c>.TenantCalls.cs</c>.
/// </summary>
public sealed partial class ConnectionActor : ReceiveActor, IWithStash, IWithTimers
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

    // Calls held for a later state: charged to the rate limit when they came in, not again when served.
    // Made on first use: most sockets never hold a call, and there is one actor per socket.
    private HashSet<SocketCall>? _held;
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

        if (socketCall.Call is not ResumeCall && _route.ConnectionId is { } current && socketCall.ConnectionId != current)
        {
            // Sent by a socket this session has just left, before the manager heard so: the answer is
            // the old socket's (it is no longer logged in), never the session's on the new socket.
            Push.Refuse(new SocketRoute(socketCall.ConnectionId), new CallRejection(
                ErrorCodes.Unauthenticated, "This session was resumed on another connection.", socketCall.Call.Method, socketCall.Call.RequestId));
            return true;
        }

        // Anything started while handling the call (the NATS request above all) joins the hub call's trace.
        using var span = PortalTracing.StartUnder(socketCall.Call.Method, socketCall.Trace);
        if (_held?.Remove(socketCall) != true && !_deps.Limits.TryCall(_clientId.Value))
        {
            Refuse(socketCall.Call, ErrorCodes.RateLimited, "Too many calls; slow down and try again in a moment.");
            return true;
        }

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
        Receive<SocketCall>(Hold);
        Always();
    }

    private void Resuming()
    {
        Receive<ResumeVerified>(FinishResume);
        Receive<SocketCall>(Hold);
        Always();
    }

    private void Authenticated()
    {
        Receive<SocketCall>(c => c.Call is LoginCall, c => EndSessionThen(() => StartLogin((LoginCall)c.Call)));
        Receive<SocketCall>(c => c.Call is ResumeCall, c => EndSessionThen(() => StartResume((ResumeCall)c.Call)));
        Receive<SocketCall>(c => c.Call is LogoutCall, c => Logout((LogoutCall)c.Call));
        Receive<SocketCall>(c => c.Call is TenantsListCall, c => TenantsChild.Forward(new TenantActor.ListTenants((TenantsListCall)c.Call) { Trace = _callTrace }));
        Receive<SocketCall>(c => c.Call is TenantSelectCall, c => Select((TenantSelectCall)c.Call));
        Receive<SocketCall>(c => ServeTenantCall(c.Call));
        Receive<ClientReply>(r => r.Kind == ClientReplyKind.Tenants, r => TenantsChild.Forward(r));
        Receive<TenantActor.TenantVerified>(v => Sender.Equals(_tenants), SwitchTenant);
        Receive<DataReply>(Answer);
        Always();
    }

    /// <summary>Keeps a call for the state that serves it (it is unstashed there).</summary>
    private void Hold(SocketCall call)
    {
        (_held ??= new HashSet<SocketCall>(ReferenceEqualityComparer.Instance)).Add(call);
        Stash.Stash();
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
        Receive<SocketCall>(Hold);
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
        Receive<SocketCall>(Hold);
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

    private void Refuse(BrowserCall call, string code, string message)
    {
        _log.Info("Refused {Method} on {ConnectionId}: {Code}", call.Method, _route, code);
        Push.Refuse(_route, call, code, message);
    }

    private void Refuse(BrowserCall call, ServiceOutcome failed) => Refuse(call, failed.ErrorCode!, failed.ErrorMessage!);
}
