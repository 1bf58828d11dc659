using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Portal.Host.Configuration;
using Portal.Host.Hubs;

namespace Portal.Host.Extensions;

public static partial class EndpointExtensions
{
    /// <summary>Static files, the hub, health endpoints, and the one start-up line.</summary>
    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UsePortalWebPage();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UsePortalDrain();
        app.MapHub<PortalHub>(PortalHub.Path);
        app.MapPortalHealth();
        app.MapPortalMetrics();

        var settings = app.Services.GetRequiredService<PortalHostSettings>();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
            LogStarted(
                app.Logger,
                addresses is { Count: > 0 } ? string.Join(", ", addresses) : "(no address)",
                PortalHostSettings.RedactedUrl(settings.NatsUrl),
                settings.Standalone);
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTPI customer portal listening on {Urls}; NATS {NatsUrl}; standalone {Standalone}")]
    private static partial void LogStarted(ILogger logger, string urls, string natsUrl, bool standalone);
}
