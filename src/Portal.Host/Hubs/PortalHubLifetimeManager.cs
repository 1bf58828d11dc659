using Microsoft.AspNetCore.SignalR;
using Portal.Host.Browser;

namespace Portal.Host.Hubs;

/// <summary>
/// SignalR's own single-node lifetime manager, plus the one place that sees each socket's
/// <see cref="HubConnectionContext"/>: the socket's outbox is made from it (before the hub's
/// <c>OnConnectedAsync</c>, so the actors' first push has somewhere to go) and writes to it directly.
/// </summary>
internal sealed class PortalHubLifetimeManager(HubBrowserPush push, ILogger<DefaultHubLifetimeManager<PortalHub>> logger)
    : DefaultHubLifetimeManager<PortalHub>(logger)
{
    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        push.Register(connection);
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        push.Unregister(connection.ConnectionId);
        return base.OnDisconnectedAsync(connection);
    }
}
