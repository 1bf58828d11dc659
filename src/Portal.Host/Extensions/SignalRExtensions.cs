using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.SignalR.Protocol;
using Portal.Host.Configuration;
using Portal.Host.Hubs;
using Portal.Protocol.Json;

namespace Portal.Host.Extensions;

public static class SignalRExtensions
{
    /// <summary>Frames up to this size reach the hub, which refuses arguments over 64 KiB politely (PROTOCOL §3).</summary>
    public const long MaximumReceiveMessageSize = 1024 * 1024;

    public static WebApplicationBuilder AddPortalSignalR(this WebApplicationBuilder builder, PortalHostSettings settings)
    {
        builder.Services
            .AddSignalR(hub =>
            {
                hub.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
                hub.EnableDetailedErrors = !settings.IsProduction;
            })
            .AddJsonProtocol(json =>
            {
                var options = json.PayloadSerializerOptions;
                options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
                options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;

                // The protocol's own types by source generation; anything else (service payloads the
                // actors pass through) by reflection.
                options.TypeInfoResolverChain.Insert(0, PortalJsonContext.Default);
                if (JsonSerializer.IsReflectionEnabledByDefault && !options.TypeInfoResolverChain.OfType<DefaultJsonTypeInfoResolver>().Any())
                {
                    options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
                }
            });

        // Calls SignalR cannot bind get the portal's own refusal (see RefusingHubProtocol).
        var json = builder.Services.Single(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol));
        builder.Services.Remove(json);
        builder.Services.AddSingleton<IHubProtocol>(sp => new RefusingHubProtocol(ActivatorUtilities.CreateInstance<JsonHubProtocol>(sp)));
        return builder;
    }
}
