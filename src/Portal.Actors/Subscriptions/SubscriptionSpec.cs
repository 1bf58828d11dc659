using System.Diagnostics;
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

    /// <summary>The trace context of the subscribe call: the snapshot is asked for in a span under it.</summary>
    public ActivityContext Trace { get; init; }

    /// <summary>Started by a resume, not a subscribe: there is no subscribe call to answer or refuse.</summary>
    public bool Restored { get; init; }

    /// <summary>
    /// A resume's last seq for this feed: the feed replays from the history after it instead of sending a
    /// snapshot, when it can, and reports to its connection actor whether it could before it pushes anything.
    /// </summary>
    public FeedResume? Resume { get; init; }

    public string Method => Feed switch
    {
        Feed.Dashboard => EventNames.DashboardSubscribe,
        Feed.Patients => EventNames.PatientsSubscribe,
        _ => EventNames.ClaimsSubscribe,
    };
}

/// <summary>What a resume knows of a feed: the last seq the browser saw (null: none) and the epoch it belongs to.</summary>
public sealed record FeedResume(long? After, string? Epoch);
