using NATS.Client.OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Portal.Host.Configuration;
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

        // Traces only where something collects them: ASP.NET Core requests, SignalR hub invocations and
        // NATS.Net's publish/request spans (which carry W3C trace context in NATS headers), over OTLP.
        if (!string.IsNullOrWhiteSpace(builder.Configuration[PortalHostSettings.OtlpEndpointVariable]))
        {
            builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddSource("Microsoft.AspNetCore.SignalR.Server")
                .AddSource(Portal.Actors.PortalTracing.SourceName)
                .AddNatsClientInstrumentation()
                .AddOtlpExporter());
        }

        return builder;
    }

    public static WebApplication MapPortalMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
