using System.Text.Json;
using Portal.Protocol;
using Portal.Protocol.Ids;

namespace Portal.Actors.Topics;

/// <summary>A broadcast turned into the push it becomes: event name and the inner object.</summary>
public readonly record struct ParsedBroadcast(string EventName, JsonElement Payload);

/// <summary>
/// Reads a <c>customer.broadcast.*</c> envelope (PROTOCOL.md §2) once per node and picks the push
/// it maps to. Anything else (not JSON, unknown type, missing inner object, another tenant's
/// envelope) is refused, never guessed at.
/// </summary>
public static class BroadcastParser
{
    public static ParsedBroadcast? TryParse(Feed feed, TenantId tenant, ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var picked = feed switch
            {
                Feed.Dashboard => Text(root, "type") switch
                {
                    "stats" => Inner(root, "stats", EventNames.DashboardStatsUpdate),
                    "activity" => Inner(root, "activity", EventNames.DashboardActivityNew),
                    _ => null,
                },
                Feed.Patients when ForAnotherTenant(root, tenant) => null,
                Feed.Patients => Text(root, "responseType") switch
                {
                    "created" => Inner(root, "patient", EventNames.PatientsNew),
                    "updated" => Inner(root, "patient", EventNames.PatientsUpdated),
                    _ => null,
                },
                Feed.Claims => Text(root, "type") == "updated" ? Inner(root, "claim", EventNames.ClaimsUpdated) : null,
                _ => null,
            };

            // Clone: the payload outlives the document and is shared by every socket it reaches.
            return picked is { } p ? p with { Payload = p.Payload.Clone() } : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static ParsedBroadcast? Inner(JsonElement root, string name, string eventName) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object
            ? new ParsedBroadcast(eventName, value)
            : null;

    // The subject names the tenant; an envelope that names another one is a service bug, not data to show.
    private static bool ForAnotherTenant(JsonElement root, TenantId tenant) =>
        root.TryGetProperty("tenantId", out var value) && !(value.ValueKind == JsonValueKind.String && value.ValueEquals(tenant.Value));
}
