using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Host.Extensions;

public static class HealthExtensions
{
    /// <summary>Checks that must pass before the node takes traffic.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Checks whose failure means the process is of no more use and should be restarted.</summary>
    public const string LiveTag = "live";

    /// <summary>Liveness (and the chart's startup probe): the process answers and its actor system runs.</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>Readiness: NATS up, actors running and routing replies, not draining.</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary>
    /// <c>/healthz</c>: the checks tagged <see cref="LiveTag"/> (Akka.Hosting's actor system check), never
    /// NATS, so a NATS outage takes the node out of the Service without restarting it.
    /// <c>/readyz</c>: the checks tagged <see cref="ReadyTag"/>.
    /// </summary>
    public static WebApplication MapPortalHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = IsLiveness });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = IsReadiness });
        return app;
    }

    /// <summary>The checks <c>/healthz</c> runs.</summary>
    public static bool IsLiveness(HealthCheckRegistration check) => check.Tags.Contains(LiveTag);

    /// <summary>The checks <c>/readyz</c> runs.</summary>
    public static bool IsReadiness(HealthCheckRegistration check) => check.Tags.Contains(ReadyTag);
}
