using Portal.Actors;
using Portal.Host.Configuration;

namespace Portal.Host.Extensions;

public static class SettingsExtensions
{
    /// <summary>
    /// Reads and checks <see cref="PortalHostSettings"/> and sets the listening port.
    /// </summary>
    /// <exception cref="PortalStartupException">One line per problem found.</exception>
    public static PortalHostSettings AddPortalSettings(this WebApplicationBuilder builder)
    {
        var settings = PortalHostSettings.From(builder.Configuration, out var problems);
        if (problems.Count > 0)
        {
            throw new PortalStartupException(problems);
        }

        // PORT, the seed's habit, unless ASPNETCORE_URLS or --urls says otherwise. A test's
        // UseKestrel(0) binds explicit endpoints, which Kestrel prefers over any URL setting.
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls($"http://0.0.0.0:{settings.Port}");
        }

        return settings;
    }

    /// <summary>Registers the final settings (after standalone mode may have filled in NATS_URL).</summary>
    public static WebApplicationBuilder UsePortalSettings(this WebApplicationBuilder builder, PortalHostSettings settings)
    {
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(PortalActorSettings.Default with
        {
            RequestTimeout = settings.RequestTimeout,
            ResumeGrace = settings.ResumeGrace,
            ReplayHistoryLimit = settings.ReplayHistoryLimit,
            ReplayHistoryAge = settings.ReplayHistoryAge,
            RateLimits = settings.RateLimits,
        });
        return builder;
    }
}
