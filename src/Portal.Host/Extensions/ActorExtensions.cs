using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Actors;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Microsoft.AspNetCore.SignalR;
using Portal.Host.Browser;
using Portal.Host.Hubs;
using Portal.Host.Lifecycle;

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
            akka.WithPortalActors(sp.GetRequiredService<PortalActorSettings>()).WithShutdownByHost();

            // Akka.Hosting's own checks: the actor system is alive (liveness, and a condition of readiness),
            // and the node routes per-socket replies (readiness only).
            akka.WithActorSystemLivenessCheck(tags: [HealthExtensions.LiveTag, HealthExtensions.ReadyTag]);
            akka.WithHealthCheck(ReplyRoutingCheck, ReplyRoutingReadyAsync, tags: [HealthExtensions.ReadyTag], timeout: TimeSpan.FromSeconds(2));
        });
        return builder;
    }

    private const string ReplyRoutingCheck = "reply-routing";

    /// <summary>
    /// Ready only once the per-socket answer subjects are subscribed: before that a login's answer
    /// (or NATS' "no responders") would find nobody listening and the browser would wait for the timeout.
    /// A router that does not answer within the check's timeout is reported unhealthy by the health service.
    /// </summary>
    private static async Task<HealthCheckResult> ReplyRoutingReadyAsync(ActorSystem system, ActorRegistry registry, CancellationToken cancellationToken)
    {
        if (!registry.TryGet<PortalActorKeys.ClientReplies>(out var router))
        {
            return HealthCheckResult.Unhealthy("reply router not started");
        }

        var stats = await router.Ask<ClientReplyRouter.Stats>(ClientReplyRouter.GetStats.Instance, cancellationToken);
        return stats.Ready ? HealthCheckResult.Healthy("per-socket replies routed") : HealthCheckResult.Unhealthy("per-socket reply subjects not subscribed yet");
    }
}
