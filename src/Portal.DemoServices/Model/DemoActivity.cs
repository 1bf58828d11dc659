using System.Text.Json.Nodes;

namespace Portal.DemoServices.Model;

/// <summary>A dashboard activity line. Messages name ids only, never a patient's name, so the feed carries no PHI.</summary>
internal sealed record DemoActivity(string Id, string Type, string Message, string Timestamp)
{
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["type"] = Type,
        ["message"] = Message,
        ["timestamp"] = Timestamp,
    };
}
