using Portal.Protocol.Ids;

namespace Portal.Protocol;

/// <summary>The live feeds a socket can subscribe to; each is one broadcast subject per tenant.</summary>
public enum Feed
{
    Dashboard,
    Patients,
    Claims,
}

/// <summary>
/// Every NATS subject of PROTOCOL.md §2. Subjects that embed an id take a validated id type,
/// so a subject can only be built from an id that passed <see cref="SafeId"/>.
/// </summary>
public static class Subjects
{
    // Answered on a per-socket response subject.
    public const string AuthLogin = "htpi.auth.login";
    public const string TenantListForUser = "htpi.tenant.list.for.user";
    public const string AuthResponseWildcard = "customer.auth.response.*";
    public const string TenantsResponseWildcard = "customer.tenants.response.*";

    // Request/reply.
    public const string AuthVerify = "htpi.auth.verify";
    public const string TenantVerifyAccess = "htpi.tenant.verify.access";
    public const string DashboardGetStats = "htpi.dashboard.get.stats";
    public const string DashboardGetActivity = "htpi.dashboard.get.activity";
    public const string PatientList = "htpi.patient.list";
    public const string PatientGet = "htpi.patient.get";
    public const string PatientCreate = "htpi.patient.create";
    public const string ClaimsListForPatient = "htpi.claims.list.for.patient";
    public const string ClaimsGet = "htpi.claims.get";
    public const string InsuranceListForPatient = "htpi.insurance.list.for.patient";

    // Publish only.
    public const string AuditAccess = "htpi.audit.access";
    public const string SessionRevoked = "customer.session.revoked";

    private const string AuthResponsePrefix = "customer.auth.response.";
    private const string TenantsResponsePrefix = "customer.tenants.response.";

    public static string AuthResponse(ClientId clientId) => AuthResponsePrefix + SafeId.Require(clientId);

    public static string TenantsResponse(ClientId clientId) => TenantsResponsePrefix + SafeId.Require(clientId);

    public static string Broadcast(Feed feed, TenantId tenantId) => feed switch
    {
        Feed.Dashboard => "customer.broadcast.dashboard.",
        Feed.Patients => "customer.broadcast.patients.",
        Feed.Claims => "customer.broadcast.claims.",
        _ => throw new ArgumentOutOfRangeException(nameof(feed), feed, null),
    } + SafeId.Require(tenantId);

    /// <summary>
    /// Reads the client id out of a per-socket response subject; false for anything that is not
    /// exactly one of the two families followed by a valid id.
    /// </summary>
    public static bool TryParseClientReply(string subject, out ClientReplyKind kind, out ClientId clientId)
    {
        string rest;
        if (subject.StartsWith(AuthResponsePrefix, StringComparison.Ordinal))
        {
            kind = ClientReplyKind.Auth;
            rest = subject[AuthResponsePrefix.Length..];
        }
        else if (subject.StartsWith(TenantsResponsePrefix, StringComparison.Ordinal))
        {
            kind = ClientReplyKind.Tenants;
            rest = subject[TenantsResponsePrefix.Length..];
        }
        else
        {
            kind = default;
            clientId = default;
            return false;
        }

        return SafeId.TryParse(rest, out clientId);
    }
}

/// <summary>The two families of per-socket response subjects.</summary>
public enum ClientReplyKind
{
    Auth,
    Tenants,
}
