using System.Buffers;
using System.Text.Json;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// What the stock .NET MessagePack client decodes (maps, arrays, primitives) as JSON, so a test reads
/// MessagePack pushes with the portal's bridge nowhere involved. A map key that is not a string fails
/// the test: the portal's MessagePack must have the JSON shape.
/// </summary>
public static class MessagePackValues
{
    public static JsonElement ToJson(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, value);
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string text:
                json.WriteStringValue(text);
                break;
            case bool flag:
                json.WriteBooleanValue(flag);
                break;
            case IDictionary<object, object?> map:
                json.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    json.WritePropertyName(key as string ?? throw new Xunit.Sdk.XunitException($"A MessagePack map key is a {key.GetType().Name}, not a string."));
                    Write(json, item);
                }

                json.WriteEndObject();
                break;
            case object?[] items:
                json.WriteStartArray();
                foreach (var item in items)
                {
                    Write(json, item);
                }

                json.WriteEndArray();
                break;
            case ulong big:
                json.WriteNumberValue(big);
                break;
            case float or double:
                json.WriteNumberValue(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case sbyte or byte or short or ushort or int or uint or long:
                json.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                throw new Xunit.Sdk.XunitException($"A MessagePack value decoded as {value.GetType().Name} has no JSON form.");
        }
    }
}
