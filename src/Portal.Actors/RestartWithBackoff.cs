using Akka.Actor;
using Akka.Pattern;
using Portal.Actors.Nats;

namespace Portal.Actors;

/// <summary>
/// The portal's one recipe for NATS-fed actors: on failure the child is stopped and started again
/// after an exponential backoff (with jitter) between the settings' min and max, for ever.
/// </summary>
public static class RestartWithBackoff
{
    public static Props Props(Props child, string childName, PortalActorSettings settings) =>
        BackoffSupervisor.Props(Backoff.OnFailure(
                child,
                childName,
                settings.RestartBackoffMin,
                settings.RestartBackoffMax,
                randomFactor: 0.2,
                maxNrOfRetries: -1)
            .WithSupervisorStrategy(new OneForOneStrategy(Decide)));

    // The default decider stops a child that fails in PreStart (ActorInitializationException), and the
    // backoff supervisor then stops itself: a subscriber restarted while NATS is still down would never come
    // back. A child that refuses to start because the link is down is a transient fault like any other.
    private static Directive Decide(Exception fault) => fault switch
    {
        ActorInitializationException { InnerException: NatsLinkLostException } => Directive.Restart,
        _ => SupervisorStrategy.DefaultDecider.Decide(fault),
    };
}
