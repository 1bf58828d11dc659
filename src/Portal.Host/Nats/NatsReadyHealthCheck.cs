using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Actors.Nats;

namespace Portal.Host.Nats;

/// <summary>Ready only while the NATS link is up: a portal without NATS can serve nobody.</summary>
internal sealed class NatsReadyHealthCheck(INatsGateway gateway) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(gateway.Link == NatsLink.Up
            ? HealthCheckResult.Healthy("NATS link up")
            : HealthCheckResult.Unhealthy("NATS link down"));
}
