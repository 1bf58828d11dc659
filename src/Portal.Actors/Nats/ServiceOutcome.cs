using System.Text.Json;
using Portal.Protocol;

namespace Portal.Actors.Nats;

/// <summary>
/// A service's reply read as a JSON object, or the error the browser gets instead: every way a
/// request can fail maps to <c>service_unavailable</c> or <c>upstream_error</c> here, once.
/// </summary>
public readonly record struct ServiceOutcome(JsonElement Root, string? ErrorCode, string? ErrorMessage)
{
    public bool Failed => ErrorCode is not null;

    /// <summary>True when the link itself was down: subscription actors fail and retry instead of answering.</summary>
    public bool LinkDown { get; private init; }

    public static ServiceOutcome From(NatsReply reply) => reply.Status switch
    {
        NatsReplyStatus.Ok => Parse(reply.Body),
        NatsReplyStatus.NoResponders => Error(ErrorCodes.ServiceUnavailable, "The service is not available right now."),
        NatsReplyStatus.TimedOut => Error(ErrorCodes.ServiceUnavailable, "The service did not answer in time."),
        _ => Error(ErrorCodes.ServiceUnavailable, "The portal has lost its link to the services; try again shortly.") with { LinkDown = true },
    };

    public static ServiceOutcome Malformed(string what) => Error(ErrorCodes.UpstreamError, $"The service sent an answer the portal cannot read ({what}).");

    private static ServiceOutcome Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? new ServiceOutcome(document.RootElement.Clone(), null, null)
                : Malformed("not a JSON object");
        }
        catch (JsonException)
        {
            return Malformed("not JSON");
        }
    }

    private static ServiceOutcome Error(string code, string message) => new(default, code, message);

    public JsonElement? Array(string name) => Member(name, JsonValueKind.Array);

    public JsonElement? Object(string name) => Member(name, JsonValueKind.Object);

    public bool? Bool(string name) => Root.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
        ? v.GetBoolean()
        : null;

    public string? Text(string name) => Member(name, JsonValueKind.String)?.GetString();

    private JsonElement? Member(string name, JsonValueKind kind) =>
        Root.ValueKind == JsonValueKind.Object && Root.TryGetProperty(name, out var v) && v.ValueKind == kind ? v : null;
}
