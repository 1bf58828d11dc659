using System.Text.Json.Nodes;

namespace Portal.DemoServices.Handlers;

/// <summary><c>htpi.dashboard.get.stats</c> and <c>htpi.dashboard.get.activity</c>.</summary>
internal static class DashboardHandlers
{
    public static DemoOutcome Stats(DemoStore store, DemoRequest request) =>
        DemoOutcome.ReplyWith(RequestGuard.Tenant(store, request, out var error) is { } scope
            ? store.Stats(scope.TenantId).ToJson()
            : new() { ["success"] = false, ["error"] = error });

    public static DemoOutcome Activity(DemoStore store, DemoRequest request)
    {
        if (RequestGuard.Tenant(store, request, out var error) is not { } scope)
        {
            return DemoOutcome.ReplyWith(new() { ["activities"] = new JsonArray(), ["error"] = error });
        }
        var activities = store.Activities(scope.TenantId).Select(a => (JsonNode?)a.ToJson()).ToArray();
        return DemoOutcome.ReplyWith(new() { ["activities"] = new JsonArray(activities) });
    }
}
