using Portal.Actors.Nats;
using Portal.Protocol.Ids;

namespace Portal.Actors.Tenants;

/// <summary>How an <c>htpi.tenant.verify.access</c> answer is read, for a select and for a resume alike.</summary>
public static class TenantAccess
{
    /// <summary>
    /// True: <c>hasAccess: true</c> for that very tenant (an answer naming another tenant grants nothing);
    /// false: <c>hasAccess: false</c>; null: neither (a malformed answer).
    /// </summary>
    public static bool? Granted(ServiceOutcome outcome, TenantId tenant) => outcome.Bool("hasAccess") switch
    {
        true when outcome.Text("tenantId") is null || outcome.Text("tenantId") == tenant.Value => true,
        false => false,
        _ => null,
    };
}
