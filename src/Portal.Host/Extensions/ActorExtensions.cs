using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Actors;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Microsoft.AspNetCore.SignalR;
using Portal.Host.Browser;
using Portal.Host.Hubs;

namespace Portal.Host.Extensions;

public static class ActorExtensions
{
    /// <summary>The actor system and the browser push the actors use.</summary>
    public static WebApplicationBuilder AddPortalActors(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<HubBrowserPush>();
        builder.Services.AddSingleton<IBrowserPush>(sp => sp.GetRequiredService<HubBrowserPush>());

        // Hands each socket's HubConnectionContext to the push (closed type: wins over SignalR's open default).
        builder.Services.AddSingleton<HubLifetimeManager<PortalHub>, PortalHubLifetimeManager>();

        builder.Services.AddAkka("htpi-portal", (akka, sp) =>
        {
            akka.ConfigureLoggers(loggers =>
            {
                // Through this host's own ILoggerFactory (Serilog behind it), not the process-wide static
                // logger: two hosts in one process (tests, the two-node run) each keep their own logs.
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();

                // An unhandled message would be logged with its contents, which may hold PHI.
                loggers.DebugOptions = new DebugOptions { Unhandled = false };
            });
            akka.WithPortalActors(sp.GetRequiredService<PortalActorSettings>());
        });

        builder.Services.AddHealthChecks()
            .AddCheck<ActorSystemHealthCheck>("actors", tags: [HealthExtensions.ReadyTag])
            .AddCheck<ReplyRoutingHealthCheck>("reply-routing", tags: [HealthExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>
    /// Ready only once the per-socket answer subjects are subscribed: before that a login's answer
    /// (or NATS' "no responders") would find nobody listening and the browser would wait for the timeout.
    /// </summary>
    private sealed class ReplyRoutingHealthCheck(IRequiredActor<PortalActorKeys.ClientReplies> router) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var stats = await router.ActorRef.Ask<ClientReplyRouter.Stats>(ClientReplyRouter.GetStats.Instance, TimeSpan.FromSeconds(2), cancellationToken);
                return stats.Ready ? HealthCheckResult.Healthy("per-socket replies routed") : HealthCheckResult.Unhealthy("per-socket reply subjects not subscribed yet");
            }
            catch (AskTimeoutException)
            {
                return HealthCheckResult.Unhealthy("reply router did not answer");
            }
        }
    }

    private sealed class ActorSystemHealthCheck(ActorSystem system) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(system.WhenTerminated.IsCompleted
                ? HealthCheckResult.Unhealthy("actor system terminated")
                : HealthCheckResult.Healthy("actor system up"));
    }
}
