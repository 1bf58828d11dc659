using System.Text;
using Portal.Actors.Connections;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;

namespace Portal.Actors.Tests.Fakes;

/// <summary>Values the actor specs share: small backoffs, generous waits (the CI box is a noisy 2-core VM).</summary>
public static class SpecData
{
    /// <summary>How long an expected message may take to show up.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    /// <summary>How long to listen for a message that must not come.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    public static readonly PortalActorSettings ActorSettings = PortalActorSettings.Default with
    {
        RequestTimeout = TimeSpan.FromSeconds(5),
        RestartBackoffMin = TimeSpan.FromMilliseconds(100),
        RestartBackoffMax = TimeSpan.FromMilliseconds(400),
    };

    public const string Token = "token-abc";

    public static readonly TenantId Tenant1 = SafeId.Parse<TenantId>("tenant-001");

    public static readonly TenantId Tenant2 = SafeId.Parse<TenantId>("tenant-002");

    public static readonly ClientId Client = SafeId.Parse<ClientId>("Client0123456789abcdefXY");

    public static Session Session() => new(new SessionUser("user-1", "demo@htpi.com", "Demo User", "customer", null), Token);

    public static ReadOnlyMemory<byte> Utf8(string json) => Encoding.UTF8.GetBytes(json);
}
