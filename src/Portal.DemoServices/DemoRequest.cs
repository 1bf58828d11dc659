using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.DemoServices;

/// <summary>One message as a handler sees it: the parsed body and the bearer token from the NATS header, if any.</summary>
internal sealed record DemoRequest(string Subject, JsonObject Body, string? BearerToken)
{
    /// <summary>Parses a NATS body; anything that is not a JSON object becomes an empty object, so handlers answer "not found" rather than throw.</summary>
    public static DemoRequest Parse(string subject, ReadOnlySpan<byte> payload, string? authorizationHeader)
    {
        JsonObject body;
        try
        {
            body = payload.IsEmpty ? [] : JsonNode.Parse(payload) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            body = [];
        }
        return new DemoRequest(subject, body, BearerFrom(authorizationHeader));
    }

    public static string? BearerFrom(string? header)
    {
        const string scheme = "Bearer ";
        if (header is null || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>A string field, or null when it is absent or not a string (a number where an id belongs is not an id).</summary>
    public string? String(string name) =>
        Body.TryGetPropertyValue(name, out var node) && node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public JsonObject? Object(string name) =>
        Body.TryGetPropertyValue(name, out var node) ? node as JsonObject : null;

    // Records print every property; the body may hold a password or PHI.
    public override string ToString() => $"DemoRequest {Subject}";
}
