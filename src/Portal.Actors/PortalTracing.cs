using System.Diagnostics;

namespace Portal.Actors;

/// <summary>
/// Spans of the actor tree. A hub call's trace context rides on <c>SocketCall</c>; the connection
/// actor opens a span under it while it handles the call, so the NATS request it starts (NATS.Net
/// puts W3C trace context in the headers) joins the browser call's trace, and a service's span with it.
/// The connection actor hands that span's context on in the messages it sends its children (tenant
/// list and select, a feed's spec and refresh); a child opens its own span under it around the NATS
/// request it makes, so that request is in the browser call's trace too.
/// </summary>
public static class PortalTracing
{
    public const string SourceName = "HtpiActors.Portal.Actors";

    /// <summary>The tenant child publishes <c>htpi.tenant.list.for.user</c>.</summary>
    public const string TenantList = "TenantActor list";

    /// <summary>The tenant child asks <c>htpi.tenant.verify.access</c>.</summary>
    public const string TenantVerify = "TenantActor verify";

    /// <summary>A feed child asks one part of its snapshot (one span per attempt).</summary>
    public const string FeedSnapshot = "SubscriptionActor snapshot";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// Starts a span under <paramref name="parent"/>, current until disposed, so that a NATS request
    /// started meanwhile is its child. Null, with nothing allocated, when the caller carried no trace
    /// or nobody listens.
    /// </summary>
    public static Activity? StartUnder(string name, ActivityContext parent, ActivityKind kind = ActivityKind.Internal) =>
        parent == default ? null : Source.StartActivity(name, kind, parent);
}
