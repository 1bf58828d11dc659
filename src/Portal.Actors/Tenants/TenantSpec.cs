using Portal.Actors.Browser;
using Portal.Actors.Connections;
using Portal.Protocol.Ids;

namespace Portal.Actors.Tenants;

/// <summary>What the tenant child of a socket needs: the socket, its reply clientId and its session.</summary>
public sealed record TenantSpec(SocketRoute Route, ClientId ClientId, Session Session)
{
    public TenantSpec(string connectionId, ClientId clientId, Session session)
        : this(new SocketRoute(connectionId), clientId, session)
    {
    }
}
