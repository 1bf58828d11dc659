using Akka.Actor;
using Akka.Event;
using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;
using static Portal.Actors.Connections.SessionManager;

namespace Portal.Actors.Connections;

/// <summary>
/// Keeps one <see cref="ConnectionActor"/> per SignalR connection of this node, and learns the
/// tokens other nodes logged out (<c>customer.session.revoked</c>).
/// </summary>
internal sealed class SessionManagerActor : ReceiveActor
{
    private readonly Dictionary<string, IActorRef> _connections = new(StringComparer.Ordinal);
    private readonly ConnectionDependencies _deps;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _created;

    public SessionManagerActor(ConnectionDependencies deps)
    {
        _deps = deps;

        Receive<SocketConnected>(connected =>
        {
            if (_connections.ContainsKey(connected.ConnectionId))
            {
                return;
            }

            // Names are unique per node and never reuse the client-chosen text.
            var actor = Context.ActorOf(ConnectionActor.Props(connected.ConnectionId, _deps), $"connection-{++_created}");
            Context.Watch(actor);
            _connections[connected.ConnectionId] = actor;
        });
        Receive<SocketDisconnected>(disconnected =>
        {
            if (_connections.Remove(disconnected.ConnectionId, out var actor))
            {
                Context.Unwatch(actor);
                Context.Stop(actor);
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
        Receive<Terminated>(t =>
        {
            foreach (var id in _connections.Where(c => c.Value.Equals(t.ActorRef)).Select(c => c.Key).ToList())
            {
                _connections.Remove(id);
            }
        });
        Receive<NatsInbound>(message =>
        {
            if (PortalJson.TryFromUtf8<SessionRevoked>(message.Body.Span) is { } revoked && RevokedTokens.IsHash(revoked.TokenHash))
            {
                _deps.Revoked.Revoke(revoked.TokenHash);
            }
        });
        Receive<SubjectSubscriber.Active>(_ => { });
        Receive<SubjectSubscriber.Lost>(_ => { });
        Receive<GetConnectionCount>(_ => Sender.Tell(new ConnectionCount(_connections.Count)));
    }

    // A connection actor that fails is restarted with a fresh session: the browser logs in again.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart);

    protected override void PreStart() =>
        Context.ActorOf(SubjectSubscriber.Supervised(Subjects.SessionRevoked, Self, _deps.Nats, _deps.Settings), "revocations");
}
