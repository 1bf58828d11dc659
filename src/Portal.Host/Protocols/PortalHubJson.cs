using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Portal.Protocol.Json;

namespace Portal.Host.Protocols;

/// <summary>
/// How the hub's payloads look as JSON: camelCase, null members omitted, the protocol's own types by
/// source generation and anything else (service payloads the actors pass through) by reflection.
/// Applied to the JSON protocol's options; the MessagePack protocol writes through that same instance
/// (<see cref="JsonBridgeResolver"/>), so the two wire shapes cannot drift apart.
/// </summary>
public static class PortalHubJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.TypeInfoResolverChain.Insert(0, PortalJsonContext.Default);
        if (JsonSerializer.IsReflectionEnabledByDefault && !options.TypeInfoResolverChain.OfType<DefaultJsonTypeInfoResolver>().Any())
        {
            options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        }
    }
}
