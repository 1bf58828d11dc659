using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Actors.Browser;
using Portal.Actors.Connections;
using Portal.Actors.History;
using Portal.Actors.Mailboxes;
using Portal.Actors.Nats;
using Portal.Actors.Topics;

namespace Portal.Actors;

/// <summary>Akka.Hosting registry keys of the node's NATS-side actors, for tests and metrics.</summary>
public static class PortalActorKeys
{
    public sealed class Topics;

    public sealed class ClientReplies;

    /// <summary>The <see cref="UnhandledMessages"/> listener: its count is the metric of unhandled messages.</summary>
    public sealed class Unhandled;
}

/// <summary>Registers the node's top-level actors with Akka.Hosting.</summary>
public static class PortalActorsRegistration
{
    /// <summary>
    /// Starts the listener for unhandled messages (first, so it misses none), the NATS link monitor, the
    /// per-socket reply router, the topic registry and the session manager. <see cref="INatsGateway"/> and <see cref="IBrowserPush"/> come from the host's services.
    /// </summary>
    public static AkkaConfigurationBuilder WithPortalActors(this AkkaConfigurationBuilder builder, PortalActorSettings settings) =>
        builder.AddHocon(CompactMailboxConfig.Hocon + "\n" + UnhandledMessages.Hocon, HoconAddMode.Prepend).WithActors((system, registry, resolver) =>
        {
            var nats = resolver.GetService<INatsGateway>();
            var push = resolver.GetService<IBrowserPush>();

            // The host's history (JetStream when NATS offers it); without one, each topic keeps its own memory.
            var history = resolver.GetService<IBroadcastHistory>() ?? new NodeMemoryHistory();

            var unhandled = system.StartUnhandledMessages("unhandled");
            system.ActorOf(NatsLinkMonitor.Props(nats), "nats-link");
            var replies = system.ActorOf(ClientReplyRouter.Props(nats, settings), "client-replies");
            var topics = system.ActorOf(TopicRegistry.Props(nats, push, settings, history), "topics");
            var children = new ConnectionChildren(nats, push, topics, settings);

            // The node's rate limiters run replenishment timers: they go with the actor system, not before.
            var limits = new AbuseLimits(settings.RateLimits);
            system.RegisterOnTermination(limits.Dispose);
            var sessions = system.ActorOf(
                SessionManager.Props(new ConnectionDependencies(nats, push, replies, new RevokedTokens(), children, settings, limits, history)),
                "sessions");

            registry.Register<SessionManager.Key>(sessions);
            registry.Register<PortalActorKeys.Topics>(topics);
            registry.Register<PortalActorKeys.ClientReplies>(replies);
            registry.Register<PortalActorKeys.Unhandled>(unhandled);
        });
}
