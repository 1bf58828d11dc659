using System.Text.Json.Nodes;

namespace Portal.DemoServices.Handlers;

/// <summary><c>htpi.insurance.list.for.patient</c>.</summary>
internal static class InsuranceHandlers
{
    public static DemoOutcome ListForPatient(DemoStore store, DemoRequest request)
    {
        if (RequestGuard.Tenant(store, request, out var error) is not { } scope)
        {
            return DemoOutcome.ReplyWith(new() { ["insurance"] = new JsonArray(), ["error"] = error });
        }
        var patientId = request.String("patientId");
        var records = DemoIds.IsValid(patientId) ? store.InsuranceForPatient(scope.TenantId, patientId!) : [];
        return DemoOutcome.ReplyWith(new() { ["insurance"] = new JsonArray(records.Select(i => (JsonNode?)i.ToJson()).ToArray()) });
    }
}
