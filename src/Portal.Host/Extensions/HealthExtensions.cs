using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Portal.Host.Extensions;

public static class HealthExtensions
{
    /// <summary>Checks that must pass before the node takes traffic.</summary>
    public const string ReadyTag = "ready";

    /// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: NATS link up and actors running.</summary>
    public static WebApplication MapPortalHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }
}
