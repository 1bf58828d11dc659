using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Portal.DemoServices;

public static class DemoServicesExtensions
{
    /// <summary>
    /// Runs the HTPI demo services in this host, on their own NATS connection to <paramref name="natsUrl"/>:
    /// they answer every subject of PROTOCOL.md §2 with the demo data of §4 and publish a live feed
    /// every <paramref name="liveInterval"/> (5 s by default). Meant for demos and tests, never production.
    /// </summary>
    public static IServiceCollection AddHtpiDemoServices(this IServiceCollection services, string natsUrl, TimeSpan? liveInterval = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(natsUrl);
        if (liveInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(liveInterval), "The live interval must be positive.");
        }

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(DemoServicesOptions.Default with
        {
            NatsUrl = natsUrl,
            LiveInterval = liveInterval ?? DemoServicesOptions.Default.LiveInterval,
        });
        services.AddSingleton(sp => new DemoStore(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DemoResponder>();
        services.AddSingleton<LiveFeedPublisher>();
        services.AddSingleton<DemoServicesHostedService>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoServicesHostedService>());
        return services;
    }
}
