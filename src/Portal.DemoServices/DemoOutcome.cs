using System.Text;
using System.Text.Json.Nodes;

namespace Portal.DemoServices;

/// <summary>A message the demo sends on a subject of its choosing (per-socket answers and broadcasts).</summary>
internal readonly record struct DemoPublication(string Subject, JsonObject Body)
{
    public byte[] Bytes() => DemoOutcome.Encode(Body);
}

/// <summary>What a handler decided: an answer for the NATS reply subject, and messages to publish after it.</summary>
internal sealed record DemoOutcome(JsonObject? Reply, IReadOnlyList<DemoPublication> Publications)
{
    public static DemoOutcome None { get; } = new(null, []);

    public static DemoOutcome ReplyWith(JsonObject reply, params DemoPublication[] then) => new(reply, then);

    public static DemoOutcome Publish(params DemoPublication[] publications) => new(null, publications);

    public static byte[] Encode(JsonNode body) => Encoding.UTF8.GetBytes(body.ToJsonString());
}
