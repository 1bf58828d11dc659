using Akka.Actor;
using Portal.Actors.Subscriptions;

namespace Portal.Actors.Tests.Fakes;

/// <summary>
/// A stand-in child: tells the probe it started, forwards every message, and tells it when it stops.
/// Like a real feed it stops itself on <see cref="SubscriptionActor.Cancel"/> (after forwarding it).
/// </summary>
public sealed class ForwardingChild : ReceiveActor
{
    public sealed record Started(string Kind, object Spec, IActorRef Child);

    public sealed record Stopped(string Kind, IActorRef Child);

    private readonly string _kind;
    private readonly IActorRef _probe;

    public ForwardingChild(string kind, object spec, IActorRef probe)
    {
        _kind = kind;
        _probe = probe;
        probe.Tell(new Started(kind, spec, Self));
        Receive<SubscriptionActor.Cancel>(cancel =>
        {
            probe.Forward(cancel);
            Context.Stop(Self);
        });
        ReceiveAny(message => probe.Forward(message));
    }

    public static Props Props(string kind, object spec, IActorRef probe) =>
        Akka.Actor.Props.Create(() => new ForwardingChild(kind, spec, probe));

    protected override void PostStop() => _probe.Tell(new Stopped(_kind, Self));
}
