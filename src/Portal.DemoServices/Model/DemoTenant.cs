using System.Text.Json.Nodes;

namespace Portal.DemoServices.Model;

internal sealed record DemoTenant(string Id, string Name, string Status, string Timezone, string CreatedAt)
{
    /// <summary>Tenant body of <c>customer.tenants.response.*</c>; <c>created_at</c> is snake_case on the wire, as the real tenant service sends it.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["name"] = Name,
        ["status"] = Status,
        ["settings"] = new JsonObject
        {
            ["timezone"] = Timezone,
            ["features"] = new JsonArray("dashboard", "patients", "claims", "insurance"),
        },
        ["created_at"] = CreatedAt,
    };
}
