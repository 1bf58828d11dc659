using Akka.Actor;
using Portal.Actors.Connections;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tenants;

namespace Portal.Actors.Tests.Fakes;

/// <summary>Children that are <see cref="ForwardingChild"/>ren reporting to one probe; feeds that hold their stop when asked to.</summary>
public sealed class ProbeChildren(IActorRef probe, bool holdFeedStops = false) : IConnectionChildren
{
    public Props Tenants(TenantSpec spec) => ForwardingChild.Props("tenants", spec, probe);

    public Props Subscription(SubscriptionSpec spec) => ForwardingChild.Props(spec.Feed.ToString(), spec, probe, holdFeedStops);
}
