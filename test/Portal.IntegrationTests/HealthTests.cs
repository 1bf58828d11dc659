using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Host.Extensions;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests;

/// <summary>
/// What <c>/healthz</c> and <c>/readyz</c> check: Akka.Hosting's actor system check for liveness, and
/// for readiness that plus reply routing, the NATS link, the replay history and not draining (NatsFaultTests and DrainTests
/// drive the 503s over HTTP).
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Liveness_Always_IsAkkaHostingsActorSystemCheckAlone()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false);

        var report = await Health(portal).CheckHealthAsync(HealthExtensions.IsLiveness);

        var check = Assert.Single(report.Entries);
        Assert.Equal("akka.actorsystem", check.Key);
        Assert.Equal(HealthStatus.Healthy, check.Value.Status);
        Assert.Contains("akka", check.Value.Tags); // the tag Akka.Hosting puts on its checks
    }

    [Fact]
    public async Task Readiness_Running_ChecksActorsRepliesNatsHistoryAndDrain()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false);

        var report = await Health(portal).CheckHealthAsync(HealthExtensions.IsReadiness);

        Assert.Equal(["akka.actorsystem", "drain", "history", "nats", "reply-routing"], report.Entries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Contains("akka", report.Entries["reply-routing"].Tags);
    }

    [Fact]
    public async Task Liveness_ActorSystemTerminated_IsUnhealthy()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false);
        var system = portal.Portal.Services.GetRequiredService<ActorSystem>();

        await system.Terminate();

        // Akka.Hosting stops the host once its actor system is gone, so the endpoint itself may be gone too:
        // ask the health service with the endpoint's own predicate.
        var report = await Health(portal).CheckHealthAsync(HealthExtensions.IsLiveness);
        Assert.Equal(HealthStatus.Unhealthy, report.Status);
    }

    private static HealthCheckService Health(IsolatedPortal portal) => portal.Portal.Services.GetRequiredService<HealthCheckService>();
}
