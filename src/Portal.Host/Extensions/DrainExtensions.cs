using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Host.Configuration;
using Portal.Host.Hubs;
using Portal.Host.Lifecycle;

namespace Portal.Host.Extensions;

public static class DrainExtensions
{
    /// <summary>
    /// Graceful stop (docs/DEPLOYMENT.md): SIGTERM or Ctrl+C (<see cref="DrainingLifetime"/>) drains the node
    /// before the host stops at all; a stop from code drains in <see cref="DrainBeforeStop"/>, before the
    /// actors and NATS stop. <c>/readyz</c> is not ready while draining. The host's shutdown timeout leaves
    /// room for <c>DRAIN_TIMEOUT_SECONDS</c> (a stop from code drains inside it) plus the rest of the shutdown.
    /// </summary>
    public static WebApplicationBuilder AddPortalDrain(this WebApplicationBuilder builder, PortalHostSettings settings)
    {
        builder.Services.AddSingleton<NodeDrain>();
        builder.Services.AddSingleton<IHostLifetime, DrainingLifetime>();
        builder.Services.AddHostedService<DrainBeforeStop>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.DrainTimeout + TimeSpan.FromSeconds(10));
        builder.Services.AddHealthChecks().AddCheck<NotDrainingHealthCheck>("drain", tags: [HealthExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>While draining, a new SignalR connection (negotiate, or a socket without a connection id) gets 503.</summary>
    public static WebApplication UsePortalDrain(this WebApplication app)
    {
        var drain = app.Services.GetRequiredService<NodeDrain>();
        app.Use((context, next) =>
        {
            if (drain.IsDraining && IsNewHubConnection(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                return Task.CompletedTask;
            }

            return next(context);
        });
        return app;
    }

    private static bool IsNewHubConnection(HttpRequest request) =>
        request.Path.StartsWithSegments(PortalHub.Path, out var rest)
        && (rest.Equals("/negotiate", StringComparison.OrdinalIgnoreCase) || (!rest.HasValue && !request.Query.ContainsKey("id")));

    private sealed class NotDrainingHealthCheck(NodeDrain drain) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("draining") : HealthCheckResult.Healthy("serving"));
    }
}
