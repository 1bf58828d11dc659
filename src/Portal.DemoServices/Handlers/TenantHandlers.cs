using System.Text.Json.Nodes;

namespace Portal.DemoServices.Handlers;

/// <summary><c>htpi.tenant.list.for.user</c> and <c>htpi.tenant.verify.access</c>.</summary>
internal static class TenantHandlers
{
    /// <summary>Answers on <c>customer.tenants.response.&lt;clientId&gt;</c> with the tenants granted to the caller only.</summary>
    public static DemoOutcome ListForUser(DemoStore store, DemoRequest request)
    {
        var clientId = request.String("clientId");
        if (!DemoIds.IsValid(clientId))
        {
            return DemoOutcome.None;
        }
        JsonObject body = RequestGuard.User(store, request, out var error) is { } user
            ? new()
            {
                ["success"] = true,
                ["tenants"] = new JsonArray(store.TenantsFor(user).Select(t => (JsonNode?)t.ToJson()).ToArray()),
                ["clientId"] = clientId,
            }
            : new() { ["success"] = false, ["tenants"] = new JsonArray(), ["clientId"] = clientId, ["error"] = error };
        return DemoOutcome.Publish(new DemoPublication(DemoSubjects.TenantsResponse(clientId!), body));
    }

    public static DemoOutcome VerifyAccess(DemoStore store, DemoRequest request)
    {
        var userId = request.String("userId");
        var tenantId = request.String("tenantId");
        // Whoever asks, the answer is about the token's own user: a token for john cannot vouch for demo.
        var hasAccess = RequestGuard.Tenant(store, request, out _) is not null;
        return DemoOutcome.ReplyWith(new()
        {
            ["hasAccess"] = hasAccess,
            ["userId"] = userId,
            ["tenantId"] = tenantId,
        });
    }
}
