using OpenTelemetry.Metrics;
using Portal.Host.Telemetry;

namespace Portal.Host.Extensions;

public static class TelemetryExtensions
{
    /// <summary>Prometheus text at <c>/metrics</c>: the portal's meter, ASP.NET Core and the .NET runtime.</summary>
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddPortalTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PortalMetrics>();
        builder.Services.AddHostedService<ActorStatsSampler>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PortalMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapPortalMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
