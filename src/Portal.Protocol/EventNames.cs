namespace Portal.Protocol;

/// <summary>
/// Hub method and push names of the browser contract, exactly as PROTOCOL.md spells them.
/// </summary>
public static class EventNames
{
    // Calls from the browser.
    public const string AuthLogin = "auth:login";
    public const string AuthResume = "auth:resume";
    public const string AuthLogout = "auth:logout";
    public const string TenantsList = "user:tenants:list";
    public const string TenantSelect = "user:tenant:select";
    public const string DashboardSubscribe = "dashboard:subscribe";
    public const string DashboardUnsubscribe = "dashboard:unsubscribe";
    public const string PatientsSubscribe = "patients:subscribe";
    public const string PatientsUnsubscribe = "patients:unsubscribe";
    public const string PatientsView = "patients:view";
    public const string PatientsAdd = "patients:add";
    public const string ClaimsList = "claims:list";
    public const string ClaimsGet = "claims:get";
    public const string ClaimsSubscribe = "claims:subscribe";
    public const string ClaimsUnsubscribe = "claims:unsubscribe";
    public const string InsuranceList = "insurance:list";

    // Pushes from the portal.
    public const string Connected = "connected";
    public const string ConnectionStatus = "connection:status";
    public const string Error = "error";
    public const string DashboardStats = "dashboard:stats";
    public const string DashboardActivity = "dashboard:activity";
    public const string DashboardStatsUpdate = "dashboard:stats:update";
    public const string DashboardActivityNew = "dashboard:activity:new";
    public const string PatientsListed = "patients:list";
    public const string PatientsNew = "patients:new";
    public const string PatientsUpdated = "patients:updated";
    public const string ClaimsUpdated = "claims:updated";

    /// <summary>The push that answers a call: <c>auth:login</c> → <c>auth:login:response</c>.</summary>
    public static string ResponseOf(string method) => method + ":response";
}
