using Portal.Actors.Browser;
using Portal.Actors.Connections;
using Portal.Protocol;
using Portal.Protocol.Ids;

namespace Portal.Actors.Subscriptions;

/// <summary>What one subscription child serves: one feed of one tenant for one socket's session.</summary>
public sealed record SubscriptionSpec(SocketRoute Route, Feed Feed, TenantId Tenant, Session Session, string? RequestId)
{
    public SubscriptionSpec(string connectionId, Feed feed, TenantId tenant, Session session, string? requestId)
        : this(new SocketRoute(connectionId), feed, tenant, session, requestId)
    {
    }

    public string Method => Feed switch
    {
        Feed.Dashboard => EventNames.DashboardSubscribe,
        Feed.Patients => EventNames.PatientsSubscribe,
        _ => EventNames.ClaimsSubscribe,
    };
}
