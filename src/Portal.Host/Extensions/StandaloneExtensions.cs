using Portal.Host.Configuration;
using Portal.Host.Standalone;

namespace Portal.Host.Extensions;

public static class StandaloneExtensions
{
    /// <summary>
    /// With <c>STANDALONE_MODE=true</c> and no <c>NATS_URL</c>: starts a private nats-server and
    /// returns settings that point at it. Otherwise returns <paramref name="settings"/> unchanged.
    /// </summary>
    public static PortalHostSettings AddPortalStandalone(this WebApplicationBuilder builder, PortalHostSettings settings, ILogger startupLogger)
    {
        if (!settings.Standalone || settings.NatsUrl is not null)
        {
            return settings;
        }

        var server = LocalNatsServer.Start(startupLogger);

        // Through a factory, so the container owns it and disposes (kills) it with the host.
        builder.Services.AddSingleton(_ => server);
        builder.Services.AddHostedService<LocalNatsServerStopper>();

        var natsUrl = server.Url;

        // Demo backend wiring: services.AddHtpiDemoServices(natsUrl)
        _ = natsUrl;

        return settings with { NatsUrl = natsUrl };
    }
}
