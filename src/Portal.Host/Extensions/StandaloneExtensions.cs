using Portal.DemoServices;
using Portal.Host.Configuration;
using Portal.Host.Standalone;

namespace Portal.Host.Extensions;

public static class StandaloneExtensions
{
    /// <summary>
    /// With <c>STANDALONE_MODE=true</c>: runs the demo services in-process, still over a real NATS;
    /// with no <c>NATS_URL</c> it also starts a private loopback nats-server and returns settings that
    /// point at it. A given <c>NATS_URL</c> is a bus others may share: refused in production (by
    /// <see cref="PortalHostSettings.From"/>), warned about at start otherwise.
    /// Without standalone mode returns <paramref name="settings"/> unchanged.
    /// </summary>
    public static PortalHostSettings AddPortalStandalone(this WebApplicationBuilder builder, PortalHostSettings settings, ILogger startupLogger)
    {
        if (!settings.Standalone)
        {
            return settings;
        }

        if (settings.NatsUrl is { } given)
        {
            builder.Services.AddHostedService<SharedBusWarning>();
            builder.Services.AddHtpiDemoServices(FirstServer(given));
            return settings;
        }

        // With JetStream, so the demo keeps its history in a stream as a deployment would (its store is removed with it).
        var server = LocalNatsServer.Start(startupLogger, jetStream: true);

        // Through a factory, so the container owns it and disposes (kills) it with the host.
        builder.Services.AddSingleton(_ => server);
        builder.Services.AddHostedService<LocalNatsServerStopper>();

        var natsUrl = server.Url;

        builder.Services.AddHtpiDemoServices(natsUrl);

        return settings with { NatsUrl = natsUrl };
    }

    // The demo services take one server; NATS_URL may list several.
    private static string FirstServer(string natsUrl) => natsUrl.Split(',', StringSplitOptions.TrimEntries)[0];
}
