using Akka.Actor;
using Akka.Event;
using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;
using static Portal.Actors.Connections.ConnectionProtocol;
using static Portal.Actors.Connections.SessionManager;

namespace Portal.Actors.Connections;

/// <summary>
/// Keeps one <see cref="ConnectionActor"/> per SignalR connection of this node. When a socket closes,
/// its actor holds a logged-in session for the grace period; <c>auth:resume</c> with that session's
/// token on any socket of this node moves the session there. It also learns the tokens any node
/// logged out (<c>customer.session.revoked</c>).
/// </summary>
internal sealed class SessionManagerActor : ReceiveActor
{
    private readonly ActorKeyIndex _connections = new();
    private readonly SessionHolders _sessions = new();

    // Resumes sent to a session's actor and not yet taken or refused, by socket: if that actor stops
    // first (its grace period ended, it was logged out), the resume is served by a fresh actor instead.
    private readonly Dictionary<string, (IActorRef Holder, SocketCall Resume)> _reattaching = new(StringComparer.Ordinal);
    private readonly ConnectionDependencies _deps;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _revocations = ActorRefs.Nobody;
    private long _created;

    public SessionManagerActor(ConnectionDependencies deps)
    {
        _deps = deps;

        Receive<SocketConnected>(connected =>
        {
            if (!_connections.ContainsKey(connected.ConnectionId))
            {
                StartConnection(connected.ConnectionId, greet: true);
            }
        });
        Receive<SocketDisconnected>(disconnected =>
        {
            // The actor decides: hold a logged-in session for the grace period, or stop.
            _reattaching.Remove(disconnected.ConnectionId);
            if (_connections.Remove(disconnected.ConnectionId, out var actor))
            {
                actor.Tell(new Detached(disconnected.ConnectionId));
            }
        });
        Receive<SocketCall>(call => call.Call is ResumeCall, Resume);
        Receive<Reattached>(reattached => EndReattach(reattached.ConnectionId, Sender));
        Receive<ReattachRefused>(refused =>
        {
            EndReattach(refused.ConnectionId, Sender);
            if (_connections.TryGetValue(refused.ConnectionId, out var actor) && actor.Equals(Sender))
            {
                StartConnection(refused.ConnectionId, greet: false).Tell(new SocketCall(refused.ConnectionId, refused.Call) { Trace = refused.Trace });
            }
        });
        Receive<SessionBegan>(began => _sessions.Began(Sender, began.TokenHash));
        Receive<SessionEnded>(ended => _sessions.Ended(Sender, ended.TokenHash));
        Receive<MovedAway>(moved =>
        {
            // The old socket is still open but its session left: it starts over, anonymous.
            if (_connections.TryGetValue(moved.ConnectionId, out var actor) && actor.Equals(Sender))
            {
                StartConnection(moved.ConnectionId, greet: false);
            }
        });
        Receive<ISocketMessage>(message =>
        {
            if (_connections.TryGetValue(message.ConnectionId, out var actor))
            {
                actor.Forward(message);
            }
            else
            {
                _log.Debug("Dropped a {Message} for a connection this node does not hold", message.GetType().Name);
            }
        });
        Receive<Terminated>(t => t.ActorRef.Equals(_revocations), _ => _revocations = StartRevocations());
        Receive<Terminated>(t =>
        {
            // By the reverse index: a mass disconnect (a drain, a pod moving) must not scan every socket per socket.
            _sessions.Forget(t.ActorRef);
            foreach (var socket in _connections.RemoveActor(t.ActorRef))
            {
                if (_reattaching.Remove(socket, out var pending) && pending.Holder.Equals(t.ActorRef))
                {
                    // The session stopped before it took the resume (its stop overtook its refusal): the
                    // socket's fresh actor verifies the token itself, as after a refusal.
                    StartConnection(socket, greet: false).Tell(pending.Resume);
                    continue;
                }

                // It still served a socket and was not being resumed, so it did not stop by itself: it
                // failed. The socket goes on, anonymous.
                _log.Warning("A connection actor failed; its socket starts over logged out");
                _deps.Push.Send(socket, EventNames.Error, new ErrorPush(ErrorCodes.Internal, "Something went wrong on our side; please log in again.", null, null));
                StartConnection(socket, greet: false);
            }
        });
        Receive<NatsInbound>(message =>
        {
            if (PortalJson.TryFromUtf8<SessionRevoked>(message.Body.Span) is { } revoked && RevokedTokens.IsHash(revoked.TokenHash))
            {
                _deps.Revoked.Revoke(revoked.TokenHash);
                // Every socket of this node with a session of that token, not only the newest.
                foreach (var holder in _sessions.HoldersOf(revoked.TokenHash))
                {
                    holder.Tell(Revoked.Instance);
                }
            }
        });
        Receive<SubjectSubscriber.Active>(_ => { });
        Receive<SubjectSubscriber.Lost>(_ => { });
        Receive<GetConnectionCount>(_ => Sender.Tell(new ConnectionCount(_connections.Count, CountHeld())));
    }

    /// <summary>Sessions whose actor has no socket now; linear, as the metrics sampler asks every few seconds.</summary>
    private int CountHeld() => _sessions.Actors.Count(actor => !_connections.Holds(actor));

    private IActorRef StartConnection(string connectionId, bool greet)
    {
        // Names are unique per node and never reuse the client-chosen text.
        var actor = Context.ActorOf(ConnectionActor.Props(connectionId, _deps, greet), $"connection-{++_created}");
        Context.Watch(actor);
        _connections.Set(connectionId, actor);
        return actor;
    }

    /// <summary>
    /// A session of this token held (or open) on this node moves to the resuming socket; otherwise the
    /// socket's own actor verifies the token and starts a fresh session.
    /// </summary>
    private void Resume(SocketCall resume)
    {
        var (connectionId, call) = (resume.ConnectionId, (ResumeCall)resume.Call);
        if (!_connections.TryGetValue(connectionId, out var current))
        {
            return;
        }

        var hash = RevokedTokens.Hash(call.Token);
        var holder = _sessions.TokenOf(current) == hash ? current : _sessions.Newest(hash);
        if (_deps.Revoked.IsRevoked(call.Token) || holder is null)
        {
            current.Forward(resume);
            return;
        }

        if (!holder.Equals(current))
        {
            if (_sessions.HasSession(current))
            {
                // The socket has a session of its own, with feeds still able to push: it ends that
                // session in order and resumes the token itself (a fresh session, verified).
                current.Forward(resume);
                return;
            }

            // The socket's own fresh, anonymous actor gives way to the session it resumes.
            Context.Stop(current);
            _connections.Set(connectionId, holder);
        }

        _reattaching[connectionId] = (holder, resume);
        holder.Tell(new Reattach(connectionId, call) { Trace = resume.Trace });
    }

    private void EndReattach(string connectionId, IActorRef holder)
    {
        if (_reattaching.TryGetValue(connectionId, out var pending) && pending.Holder.Equals(holder))
        {
            _reattaching.Remove(connectionId);
        }
    }

    // A connection actor that fails is stopped and replaced by a fresh one on the socket it serves now
    // (see Terminated): restarted in place it would speak to the socket it was made for, which its
    // session may have left, and the manager would still count its session.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        StartSchedulerWorker();
        _revocations = StartRevocations();
    }

    // Akka's scheduler starts its worker on first use, and every caller waits until that worker runs on
    // the thread pool. Left to the first connection actors, a burst of new sockets (a node started into a
    // reconnect storm) parked every pool thread in that wait and the node stood still for minutes, as the
    // pool grew one thread at a time. Started here, before any connection actor exists, one thread waits once.
    private static void StartSchedulerWorker() =>
        Context.System.Scheduler.Advanced.ScheduleOnce(TimeSpan.Zero, static () => { });

    private IActorRef StartRevocations() => Context.Watch(
        Context.ActorOf(SubjectSubscriber.Supervised(Subjects.SessionRevoked, Self, _deps.Nats, _deps.Settings), $"revocations-{++_created}"));
}
