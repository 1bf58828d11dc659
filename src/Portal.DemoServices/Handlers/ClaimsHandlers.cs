using System.Text.Json.Nodes;

namespace Portal.DemoServices.Handlers;

/// <summary><c>htpi.claims.list.for.patient</c> and <c>htpi.claims.get</c>.</summary>
internal static class ClaimsHandlers
{
    public const string NotFound = "Claim not found";

    public static DemoOutcome ListForPatient(DemoStore store, DemoRequest request)
    {
        if (RequestGuard.Tenant(store, request, out var error) is not { } scope)
        {
            return DemoOutcome.ReplyWith(new() { ["claims"] = new JsonArray(), ["error"] = error });
        }
        var patientId = request.String("patientId");
        var claims = DemoIds.IsValid(patientId) ? store.ClaimsForPatient(scope.TenantId, patientId!) : [];
        return DemoOutcome.ReplyWith(new() { ["claims"] = new JsonArray(claims.Select(c => (JsonNode?)c.ToJson()).ToArray()) });
    }

    public static DemoOutcome Get(DemoStore store, DemoRequest request)
    {
        if (RequestGuard.Tenant(store, request, out var error) is not { } scope)
        {
            return DemoOutcome.ReplyWith(new() { ["success"] = false, ["error"] = error });
        }
        var claimId = request.String("claimId");
        var claim = DemoIds.IsValid(claimId) ? store.Claim(scope.TenantId, claimId!) : null;
        return DemoOutcome.ReplyWith(claim is null
            ? new() { ["success"] = false, ["error"] = NotFound }
            : new() { ["success"] = true, ["claim"] = claim.ToJson() });
    }
}
