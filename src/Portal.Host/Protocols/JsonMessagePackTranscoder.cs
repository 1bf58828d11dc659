using System.Numerics;
using System.Runtime.InteropServices;
using System.Text.Json;
using MessagePack;

namespace Portal.Host.Protocols;

/// <summary>
/// JSON values to MessagePack and back, value for value: objects are maps with string keys, arrays are
/// arrays, numbers are integers when they fit <see cref="long"/> and doubles otherwise, and
/// <c>true</c>/<c>false</c>/<c>null</c> are themselves. MessagePack that has no JSON form (binary,
/// extensions, non-string keys, NaN) is refused with a <see cref="MessagePackSerializationException"/>.
/// </summary>
public static class JsonMessagePackTranscoder
{
    public static void Write(ref MessagePackWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteMapHeader(element.GetPropertyCount());
                foreach (var property in element.EnumerateObject())
                {
                    if (!TryWriteUnescaped(ref writer, JsonMarshal.GetRawUtf8PropertyName(property)))
                    {
                        writer.Write(property.Name);
                    }

                    Write(ref writer, property.Value);
                }

                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    Write(ref writer, item);
                }

                break;
            case JsonValueKind.String:
                if (!TryWriteUnescaped(ref writer, JsonMarshal.GetRawUtf8Value(element)[1..^1]))
                {
                    writer.Write(element.GetString());
                }

                break;
            case JsonValueKind.Number when element.TryGetInt64(out var integer):
                writer.Write(integer);
                break;
            case JsonValueKind.Number:
                writer.Write(element.GetDouble());
                break;
            case JsonValueKind.True:
                writer.Write(true);
                break;
            case JsonValueKind.False:
                writer.Write(false);
                break;
            case JsonValueKind.Null:
                writer.WriteNil();
                break;
            default:
                throw new MessagePackSerializationException("An undefined JsonElement has no MessagePack form.");
        }
    }

    /// <summary>Reads one MessagePack value and writes it as JSON; nesting is bounded by <paramref name="security"/>.</summary>
    public static void ToJson(ref MessagePackReader reader, Utf8JsonWriter json, MessagePackSecurity security)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Map:
                var properties = reader.ReadMapHeader();
                security.DepthStep(ref reader);
                json.WriteStartObject();
                for (var i = 0; i < properties; i++)
                {
                    if (reader.NextMessagePackType != MessagePackType.String)
                    {
                        throw Refused($"a map key of type {reader.NextMessagePackType} (JSON object keys are strings)");
                    }

                    json.WritePropertyName(reader.ReadString()!);
                    ToJson(ref reader, json, security);
                }

                json.WriteEndObject();
                reader.Depth--;
                break;
            case MessagePackType.Array:
                var items = reader.ReadArrayHeader();
                security.DepthStep(ref reader);
                json.WriteStartArray();
                for (var i = 0; i < items; i++)
                {
                    ToJson(ref reader, json, security);
                }

                json.WriteEndArray();
                reader.Depth--;
                break;
            case MessagePackType.String:
                json.WriteStringValue(reader.ReadString());
                break;
            case MessagePackType.Integer when reader.NextCode == MessagePackCode.UInt64:
                json.WriteNumberValue(reader.ReadUInt64());
                break;
            case MessagePackType.Integer:
                json.WriteNumberValue(reader.ReadInt64());
                break;
            case MessagePackType.Float when reader.NextCode == MessagePackCode.Float32:
                json.WriteNumberValue(Finite(reader.ReadSingle()));
                break;
            case MessagePackType.Float:
                json.WriteNumberValue(Finite(reader.ReadDouble()));
                break;
            case MessagePackType.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Nil:
                reader.ReadNil();
                json.WriteNullValue();
                break;
            default:
                throw Refused($"a value of type {reader.NextMessagePackType}");
        }
    }

    // Most strings carry no escapes: their raw UTF-8 goes out as is, without a detour through string.
    private static bool TryWriteUnescaped(ref MessagePackWriter writer, ReadOnlySpan<byte> raw)
    {
        if (raw.Contains((byte)'\\'))
        {
            return false;
        }

        writer.WriteString(raw);
        return true;
    }

    private static T Finite<T>(T number) where T : INumberBase<T> =>
        T.IsFinite(number) ? number : throw Refused("a number that is NaN or infinite");

    private static MessagePackSerializationException Refused(string what) =>
        new($"The MessagePack argument has {what}, which has no JSON form; arguments are JSON-shaped objects.");
}
