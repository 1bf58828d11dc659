using Portal.Actors.Connections;
using Portal.Protocol;
using Portal.Protocol.Ids;

namespace Portal.Actors.Subscriptions;

/// <summary>What one subscription child serves: one feed of one tenant for one socket's session.</summary>
public sealed record SubscriptionSpec(string ConnectionId, Feed Feed, TenantId Tenant, Session Session, string? RequestId)
{
    public string Method => Feed switch
    {
        Feed.Dashboard => EventNames.DashboardSubscribe,
        Feed.Patients => EventNames.PatientsSubscribe,
        _ => EventNames.ClaimsSubscribe,
    };
}
