using Akka.Actor;
using Akka.Event;
using Portal.Protocol;
using Portal.Protocol.Ids;

namespace Portal.Actors.Nats;

/// <summary>
/// Routes the per-socket answers of <c>htpi.auth.login</c> and <c>htpi.tenant.list.for.user</c>
/// (<c>customer.*.response.&lt;clientId&gt;</c>) to the socket that owns the clientId, through one
/// wildcard subscription per family for the whole node. Answers for unknown clientIds are dropped
/// and counted. A clientId has one owner at a time: the latest to register it. An earlier owner that
/// unregisters or stops later ends only its own registration, never the newer owner's.
/// </summary>
public sealed class ClientReplyRouter : ReceiveActor
{
    public sealed record Register(ClientId ClientId, IActorRef Owner);

    /// <summary>Ends the sender's registration of <see cref="ClientId"/>; told by the owner itself (from its PostStop).</summary>
    public sealed record Unregister(ClientId ClientId);

    /// <summary>An answer on the owner's response subject; <see cref="NoResponders"/>: no service was listening.</summary>
    public sealed record ClientReply(ClientReplyKind Kind, ReadOnlyMemory<byte> Body, bool NoResponders);

    public sealed record GetStats
    {
        public static readonly GetStats Instance = new();
    }

    /// <summary><see cref="Ready"/>: both wildcard subscriptions are in place, so no answer can be missed.</summary>
    public sealed record Stats(int Clients, long Routed, long DroppedUnknown, bool Ready = false);

    private readonly Dictionary<ClientId, IActorRef> _owners = [];
    private readonly Dictionary<IActorRef, ClientId> _clientOf = [];
    private readonly HashSet<string> _active = [];
    private readonly INatsGateway _gateway;
    private readonly PortalActorSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _routed;
    private long _droppedUnknown;

    public ClientReplyRouter(INatsGateway gateway, PortalActorSettings settings)
    {
        _gateway = gateway;
        _settings = settings;

        Receive<Register>(OnRegister);
        Receive<Unregister>(u => Forget(u.ClientId, Sender));
        Receive<Terminated>(t =>
        {
            if (_clientOf.TryGetValue(t.ActorRef, out var clientId))
            {
                Forget(clientId, t.ActorRef);
            }
        });
        Receive<NatsInbound>(Route);
        Receive<SubjectSubscriber.Active>(a =>
        {
            _active.Add(a.Subject);
            _log.Info("Routing per-socket replies on {Subject}", a.Subject);
        });
        Receive<SubjectSubscriber.Lost>(l => _active.Remove(l.Subject));
        Receive<GetStats>(_ => Sender.Tell(new Stats(_owners.Count, _routed, _droppedUnknown, _active.Count == 2)));
    }

    public static Props Props(INatsGateway gateway, PortalActorSettings settings) =>
        Akka.Actor.Props.Create(() => new ClientReplyRouter(gateway, settings));

    protected override void PreStart()
    {
        Context.ActorOf(SubjectSubscriber.Supervised(Subjects.AuthResponseWildcard, Self, _gateway, _settings), "auth-replies");
        Context.ActorOf(SubjectSubscriber.Supervised(Subjects.TenantsResponseWildcard, Self, _gateway, _settings), "tenant-replies");
    }

    private void Route(NatsInbound message)
    {
        if (Subjects.TryParseClientReply(message.Subject, out var kind, out var clientId)
            && _owners.TryGetValue(clientId, out var owner))
        {
            _routed++;
            owner.Tell(new ClientReply(kind, message.Body, message.NoResponders));
            return;
        }

        _droppedUnknown++;
        _log.Debug("Dropped a per-socket reply for an unknown client ({Dropped} so far)", _droppedUnknown);
    }

    private void OnRegister(Register register)
    {
        // The clientId changes hands, or the owner takes a new one: the old pairing ends first.
        if (_owners.TryGetValue(register.ClientId, out var previous) && !previous.Equals(register.Owner))
        {
            Forget(register.ClientId, previous);
        }

        if (_clientOf.TryGetValue(register.Owner, out var held) && held != register.ClientId)
        {
            Forget(held, register.Owner);
        }

        _owners[register.ClientId] = register.Owner;
        _clientOf[register.Owner] = register.ClientId;
        Context.Watch(register.Owner);
    }

    /// <summary>Ends <paramref name="owner"/>'s registration of <paramref name="clientId"/>, if it still holds it.</summary>
    private void Forget(ClientId clientId, IActorRef owner)
    {
        if (!_owners.TryGetValue(clientId, out var current) || !current.Equals(owner))
        {
            return;
        }

        _owners.Remove(clientId);
        _clientOf.Remove(owner);
        Context.Unwatch(owner);
    }
}
