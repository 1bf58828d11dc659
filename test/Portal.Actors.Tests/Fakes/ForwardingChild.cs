using Akka.Actor;
using Portal.Actors.Subscriptions;

namespace Portal.Actors.Tests.Fakes;

/// <summary>
/// A stand-in child: tells the probe it started, forwards every message, and tells it when it stops.
/// Like a real feed it stops itself on <see cref="SubscriptionActor.Cancel"/> (after forwarding it),
/// unless made to hold its stop: then it stops on <see cref="StopNow"/>, so a spec can keep its parent
/// waiting for it.
/// </summary>
public sealed class ForwardingChild : ReceiveActor
{
    public sealed record Started(string Kind, object Spec, IActorRef Child);

    public sealed record Stopped(string Kind, IActorRef Child);

    /// <summary>Lets a child that holds its stop go.</summary>
    public sealed record StopNow
    {
        public static readonly StopNow Instance = new();
    }

    /// <summary>Makes the child fail with <see cref="Cause"/>, as a real feed does when NATS goes away.</summary>
    public sealed record FailNow(Exception Cause);

    private readonly string _kind;
    private readonly IActorRef _probe;

    public ForwardingChild(string kind, object spec, IActorRef probe, bool holdStop = false)
    {
        _kind = kind;
        _probe = probe;
        probe.Tell(new Started(kind, spec, Self));
        Receive<SubscriptionActor.Cancel>(cancel =>
        {
            probe.Forward(cancel);
            if (!holdStop)
            {
                Context.Stop(Self);
            }
        });
        Receive<StopNow>(_ => Context.Stop(Self));
        Receive<FailNow>(fail => throw fail.Cause);
        ReceiveAny(message => probe.Forward(message));
    }

    public static Props Props(string kind, object spec, IActorRef probe, bool holdStop = false) =>
        Akka.Actor.Props.Create(() => new ForwardingChild(kind, spec, probe, holdStop));

    protected override void PostStop() => _probe.Tell(new Stopped(_kind, Self));
}
