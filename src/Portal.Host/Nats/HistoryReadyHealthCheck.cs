using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Host.Nats;

/// <summary>Ready once the history is decided and is what <c>HISTORY_STORE</c> allows.</summary>
internal sealed class HistoryReadyHealthCheck(HistoryStore history) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(history.Kind switch
        {
            HistoryKind.JetStream => HealthCheckResult.Healthy($"history in JetStream stream {history.StreamName}"),
            HistoryKind.Memory => HealthCheckResult.Healthy("history in memory"),
            HistoryKind.Unavailable => HealthCheckResult.Unhealthy("HISTORY_STORE=jetstream and the NATS server offers no JetStream"),
            _ => HealthCheckResult.Unhealthy("history not decided yet (waiting for NATS)"),
        });
}
