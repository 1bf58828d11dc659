using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Portal.Host.Configuration;
using Portal.Host.Hubs;
using Portal.Host.Protocols;

namespace Portal.Host.Extensions;

public static class SignalRExtensions
{
    /// <summary>Frames up to this size reach the hub, which refuses arguments over 64 KiB politely (PROTOCOL §3).</summary>
    public const long MaximumReceiveMessageSize = 1024 * 1024;

    public static WebApplicationBuilder AddPortalSignalR(this WebApplicationBuilder builder, PortalHostSettings settings)
    {
        // The per-socket call limit, checked before any hub method runs (made by DI, so disposed with the host).
        builder.Services.AddSingleton(_ => new SocketCallLimiter(settings.CallLimits));
        builder.Services.AddSingleton<CallLimitFilter>();

        builder.Services
            .AddSignalR(hub =>
            {
                hub.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
                hub.EnableDetailedErrors = !settings.IsProduction;
                hub.AddFilter<CallLimitFilter>();
            })
            .AddJsonProtocol(json => PortalHubJson.Configure(json.PayloadSerializerOptions))
            .AddMessagePackProtocol();

        // MessagePack is the JSON protocol's shape in another encoding: it writes through the very
        // JSON options instance the JSON protocol uses (see JsonBridgeResolver).
        builder.Services.AddOptions<MessagePackHubProtocolOptions>()
            .Configure<IOptions<JsonHubProtocolOptions>>((messagePack, json) =>
                messagePack.SerializerOptions = JsonBridgeResolver.SerializerOptions(json.Value.PayloadSerializerOptions));

        // Calls SignalR cannot bind get the portal's own refusal, whichever protocol the browser chose (see RefusingHubProtocol).
        Refusing<JsonHubProtocol>(builder.Services);
        Refusing<MessagePackHubProtocol>(builder.Services);
        return builder;
    }

    private static void Refusing<TProtocol>(IServiceCollection services) where TProtocol : IHubProtocol
    {
        var plain = services.Single(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(TProtocol));
        services.Remove(plain);
        services.AddSingleton<IHubProtocol>(sp => new RefusingHubProtocol(ActivatorUtilities.CreateInstance<TProtocol>(sp)));
    }
}
