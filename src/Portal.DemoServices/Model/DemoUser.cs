using System.Text.Json.Nodes;

namespace Portal.DemoServices.Model;

/// <summary>A portal user as the demo auth service knows it. The password is demo data, never logged.</summary>
internal sealed record DemoUser(string Id, string Email, string Password, string Name, string Role, IReadOnlyList<string> TenantIds)
{
    public bool HasTenant(string tenantId) => TenantIds.Contains(tenantId, StringComparer.Ordinal);

    /// <summary>The <c>user</c> object of <c>customer.auth.response.*</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["email"] = Email,
        ["name"] = Name,
        ["role"] = Role,
        ["tenants"] = new JsonArray(TenantIds.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
    };

    // Records print every property; this one holds a password or PHI, so print the id only.
    public override string ToString() => $"DemoUser {Id}";
}
