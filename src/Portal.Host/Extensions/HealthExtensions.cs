using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Portal.Host.Extensions;

public static class HealthExtensions
{
    /// <summary>Checks that must pass before the node takes traffic.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Liveness (and the chart's startup probe): the process answers.</summary>
    public const string LivenessPath = "/healthz";

    /// <summary>Readiness: NATS up, actors running, not draining.</summary>
    public const string ReadinessPath = "/readyz";

    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: NATS link up and actors running.</summary>
    public static WebApplication MapPortalHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
