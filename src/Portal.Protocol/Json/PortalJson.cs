using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Portal.Protocol.Json;

/// <summary>UTF-8 (de)serialisation through <see cref="PortalJsonContext"/>.</summary>
public static class PortalJson
{
    public static byte[] ToUtf8<T>(T value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, (JsonTypeInfo<T>)PortalJsonContext.Default.GetTypeInfo(typeof(T))!);

    /// <summary>Reads a service's body; null when it is not JSON of the expected shape.</summary>
    public static T? TryFromUtf8<T>(ReadOnlySpan<byte> utf8) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(utf8, (JsonTypeInfo<T>)PortalJsonContext.Default.GetTypeInfo(typeof(T))!);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
