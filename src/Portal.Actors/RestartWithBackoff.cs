using Akka.Actor;
using Akka.Pattern;

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
            maxNrOfRetries: -1));
}
