using Akka.Actor;
using Akka.Hosting;
using Akka.Logger.Serilog;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Actors;
using Portal.Actors.Browser;
using Portal.Host.Browser;

namespace Portal.Host.Extensions;

public static class ActorExtensions
{
    /// <summary>The actor system and the browser push the actors use.</summary>
    public static WebApplicationBuilder AddPortalActors(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HubBrowserPush>();
        builder.Services.AddSingleton<IBrowserPush>(sp => sp.GetRequiredService<HubBrowserPush>());

        builder.Services.AddAkka("htpi-portal", (akka, sp) =>
        {
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLogger<SerilogLogger>();

                // An unhandled message would be logged with its contents, which may hold PHI.
                loggers.DebugOptions = new DebugOptions { Unhandled = false };
            });
            akka.WithPortalActors(sp.GetRequiredService<PortalActorSettings>());
        });

        builder.Services.AddHealthChecks().AddCheck<ActorSystemHealthCheck>("actors", tags: [HealthExtensions.ReadyTag]);
        return builder;
    }

    private sealed class ActorSystemHealthCheck(ActorSystem system) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(system.WhenTerminated.IsCompleted
                ? HealthCheckResult.Unhealthy("actor system terminated")
                : HealthCheckResult.Healthy("actor system up"));
    }
}
