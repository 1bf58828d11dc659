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

    /// <summary>
    /// How often the hub pings a socket that got nothing else. The page takes three missed pings (9 s,
    /// <c>SERVER_TIMEOUT_MS</c> in src/Portal.Web/src/reconnect.ts) as a dead socket and says so, instead of
    /// showing "Connected" for the 30 s of SignalR's defaults. A ping is a few bytes per socket every 3 s.
    /// </summary>
    public static readonly TimeSpan ServerKeepAlive = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long the hub waits for anything from a socket before it drops it. SignalR's default, kept on purpose:
    /// clients with default settings (the .NET client) ping every 15 s and need twice that. The page pings every 10 s.
    /// </summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    public static WebApplicationBuilder AddPortalSignalR(this WebApplicationBuilder builder, PortalHostSettings settings)
    {
        // The per-socket call limit, checked before any hub method runs (made by DI, so disposed with the host).
        builder.Services.AddSingleton(_ => new SocketCallLimiter(settings.CallLimits));
        builder.Services.AddSingleton<CallLimitFilter>();

        builder.Services
            .AddSignalR(hub =>
            {
                hub.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
                hub.KeepAliveInterval = ServerKeepAlive;
                hub.ClientTimeoutInterval = ClientTimeout;
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
