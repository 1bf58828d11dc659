using System.Text.Json;
using Portal.Protocol.Json;

namespace Portal.Actors.Tests.Fakes;

/// <summary>Reads pushed objects as the browser would: serialised with the portal's JSON context.</summary>
public static class JsonAssert
{
    public static JsonElement AsJson(object payload) =>
        JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), PortalJsonContext.Default.Options)).RootElement.Clone();

    public static string Text(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
