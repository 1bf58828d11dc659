using Portal.Actors.Connections;
using Portal.Protocol.Ids;

namespace Portal.Actors.Tenants;

/// <summary>What the tenant child of a socket needs: the socket, its reply clientId and its session.</summary>
public sealed record TenantSpec(string ConnectionId, ClientId ClientId, Session Session);
