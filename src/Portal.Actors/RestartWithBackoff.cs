using Akka.Actor;
using Akka.Pattern;

namespace Portal.Actors;

/// <summary>
/// The portal's one recipe for NATS-fed actors: on failure the child is stopped and started again
/// after an exponential backoff (with jitter) between the settings' min and max, for ever.
/// Failures in PreStart count too: Akka's default decider would stop the child for good on an
/// ActorInitializationException, and a feed that starts while NATS is down must wait, not die.
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
            .WithSupervisorStrategy(new OneForOneStrategy(_ => Directive.Restart)));
}
