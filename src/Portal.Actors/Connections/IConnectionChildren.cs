using Akka.Actor;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tenants;

namespace Portal.Actors.Connections;

/// <summary>
/// How a connection actor makes its children; tests put probes there instead
/// (Akka.NET testing guide: "externalize child making").
/// </summary>
public interface IConnectionChildren
{
    Props Tenants(TenantSpec spec);

    Props Subscription(SubscriptionSpec spec);
}

/// <summary>
/// The real children: a tenant actor and subscription actors (the connection actor restarts failed feeds
/// itself), which share the node's single-flight of snapshot parts.
/// </summary>
public sealed class ConnectionChildren(INatsGateway nats, IBrowserPush push, IActorRef topics, PortalActorSettings settings)
    : IConnectionChildren
{
    /// <summary>The node's single-flight of snapshot parts (one per <see cref="ConnectionChildren"/>, which is one per node).</summary>
    public SnapshotFlights Flights { get; } = new();

    public Props Tenants(TenantSpec spec) => TenantActor.Props(spec, nats, push, settings);

    public Props Subscription(SubscriptionSpec spec) => SubscriptionActor.Props(spec, nats, push, topics, settings, Flights);
}
