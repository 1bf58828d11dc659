using System.Text.Json;

namespace Portal.Protocol.Browser;

/// <summary>
/// The <c>…:response</c> object a refused call gets beside its <c>error</c> push (PROTOCOL.md §1),
/// per method. Calls answered only by data pushes (dashboard and patients subscribe) have none.
/// </summary>
public static class FailureResponses
{
    /// <summary>An empty JSON array, for list responses that failed.</summary>
    public static readonly JsonElement EmptyArray = JsonDocument.Parse("[]").RootElement.Clone();

    /// <summary>
    /// The failure response for <paramref name="method"/>, or null when that call has no response
    /// object. <paramref name="tenantId"/> is echoed by <c>user:tenant:select</c> when it was valid.
    /// </summary>
    public static object? For(string method, string message, string? requestId, string? tenantId = null) => method switch
    {
        EventNames.AuthLogin => new LoginResponse(false, null, null, message, requestId),
        EventNames.AuthResume => new ResumeResponse(false, null, null, null, null, message, requestId),
        EventNames.AuthLogout or EventNames.ClaimsSubscribe or EventNames.DashboardUnsubscribe
            or EventNames.PatientsUnsubscribe or EventNames.ClaimsUnsubscribe => new SuccessResponse(false, message, requestId),
        EventNames.TenantsList => new TenantsListResponse(EmptyArray, message, requestId),
        EventNames.TenantSelect => new TenantSelectResponse(false, tenantId ?? "", null, message, requestId),
        EventNames.PatientsView or EventNames.PatientsAdd => new PatientResponse(false, null, message, requestId),
        EventNames.ClaimsList => new ClaimsListResponse(EmptyArray, message, requestId),
        EventNames.ClaimsGet => new ClaimResponse(false, null, message, requestId),
        EventNames.InsuranceList => new InsuranceListResponse(EmptyArray, message, requestId),
        _ => null,
    };
}
