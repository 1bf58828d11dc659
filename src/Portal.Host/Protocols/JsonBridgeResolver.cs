using System.Collections.Concurrent;
using System.Text.Json;
using MessagePack;
using MessagePack.Formatters;

namespace Portal.Host.Protocols;

/// <summary>
/// Resolves every type to a <see cref="JsonBridgeFormatter{T}"/> over one set of JSON options, so the
/// MessagePack hub protocol writes the JSON protocol's shape key for key (camelCase, nulls omitted,
/// <see cref="JsonElement"/> payloads as they came) instead of MessagePack's PascalCase contractless
/// one. Primitives take the same road: a JSON string or number is a MessagePack string or number.
/// </summary>
public sealed class JsonBridgeResolver(JsonSerializerOptions json) : IFormatterResolver
{
    private readonly ConcurrentDictionary<Type, object> _formatters = new();

    /// <summary>The options for <c>MessagePackHubProtocolOptions.SerializerOptions</c>.</summary>
    public static MessagePackSerializerOptions SerializerOptions(JsonSerializerOptions json) =>
        MessagePackSerializerOptions.Standard
            .WithResolver(new JsonBridgeResolver(json))
            .WithSecurity(MessagePackSecurity.UntrustedData); // bounded nesting: arguments come from browsers

    public IMessagePackFormatter<T> GetFormatter<T>() =>
        (IMessagePackFormatter<T>)_formatters.GetOrAdd(typeof(T), static (_, options) => new JsonBridgeFormatter<T>(options), json);
}
