using Akka.Hosting;

namespace Portal.Actors;

/// <summary>Registers the node's top-level actors with Akka.Hosting.</summary>
public static class PortalActorsRegistration
{
    /// <summary>
    /// Starts the session manager and the NATS-side actors. <c>INatsGateway</c> and
    /// <c>IBrowserPush</c> are taken from the host's services.
    /// </summary>
    public static AkkaConfigurationBuilder WithPortalActors(this AkkaConfigurationBuilder builder, PortalActorSettings settings)
    {
        // Filled in as the actors land.
        _ = settings;
        return builder;
    }
}
