using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;

namespace Portal.Host.Protocols;

/// <summary>
/// Any <typeparamref name="T"/> over MessagePack exactly as the JSON protocol writes it: out through
/// <see cref="JsonSerializer"/> with the hub's JSON options, then value for value into MessagePack; in
/// the reverse way. A <see cref="JsonElement"/> (service data passed through) skips the serializer.
/// </summary>
public sealed class JsonBridgeFormatter<T>(JsonSerializerOptions json) : IMessagePackFormatter<T>
{
    // Only the portal reads this JSON back, never a browser, so HTML-safe escaping would only inflate it
    // (and with it the argument size the hub measures).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Serialize(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options)
    {
        var element = value is JsonElement passedThrough ? passedThrough : JsonSerializer.SerializeToElement(value, json);
        JsonMessagePackTranscoder.Write(ref writer, element);
    }

    public T Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        var utf8 = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(utf8, WriterOptions))
        {
            JsonMessagePackTranscoder.ToJson(ref reader, writer, options.Security);
        }

        // A JsonElement comes out over exactly these bytes, so the hub's size check measures them.
        return JsonSerializer.Deserialize<T>(utf8.WrittenSpan, json)!;
    }
}
