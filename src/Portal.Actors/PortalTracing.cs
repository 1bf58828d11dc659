using System.Diagnostics;

namespace Portal.Actors;

/// <summary>
/// Spans of the actor tree. A hub call's trace context rides on <c>SocketCall</c>; the connection
/// actor opens a span under it while it handles the call, so the NATS request it starts (NATS.Net
/// puts W3C trace context in the headers) joins the browser call's trace, and a service's span with it.
/// </summary>
public static class PortalTracing
{
    public const string SourceName = "HtpiActors.Portal.Actors";

    public static readonly ActivitySource Source = new(SourceName);
}
