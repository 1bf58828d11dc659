namespace Portal.DemoServices;

/// <summary>
/// The NATS subjects of PROTOCOL.md §2, spelled out here on purpose instead of borrowed from
/// Portal.Protocol: the demo is test equipment, so a typo in the portal must not be copied into it.
/// </summary>
internal static class DemoSubjects
{
    // Published by the portal, answered on a per-socket subject.
    public const string AuthLogin = "htpi.auth.login";
    public const string TenantListForUser = "htpi.tenant.list.for.user";

    // Request/reply.
    public const string AuthVerify = "htpi.auth.verify";
    public const string TenantVerifyAccess = "htpi.tenant.verify.access";
    public const string DashboardStats = "htpi.dashboard.get.stats";
    public const string DashboardActivity = "htpi.dashboard.get.activity";
    public const string PatientList = "htpi.patient.list";
    public const string PatientGet = "htpi.patient.get";
    public const string PatientCreate = "htpi.patient.create";
    public const string ClaimsListForPatient = "htpi.claims.list.for.patient";
    public const string ClaimsGet = "htpi.claims.get";
    public const string InsuranceListForPatient = "htpi.insurance.list.for.patient";

    // Published by the portal, no reply.
    public const string AuditAccess = "htpi.audit.access";

    public static string AuthResponse(string clientId) => $"customer.auth.response.{clientId}";
    public static string TenantsResponse(string clientId) => $"customer.tenants.response.{clientId}";
    public static string DashboardBroadcast(string tenantId) => $"customer.broadcast.dashboard.{tenantId}";
    public static string PatientsBroadcast(string tenantId) => $"customer.broadcast.patients.{tenantId}";
    public static string ClaimsBroadcast(string tenantId) => $"customer.broadcast.claims.{tenantId}";
}
