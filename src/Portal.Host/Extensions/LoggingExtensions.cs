using Portal.Host.Configuration;
using Portal.Host.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting.Compact;

namespace Portal.Host.Extensions;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog to the console: readable lines in development, compact JSON in production. Levels
    /// may be changed under <c>Serilog:MinimumLevel</c> (e.g. <c>Serilog__MinimumLevel__Default=Debug</c>).
    /// Returns a logger for the few lines written before the host is built.
    /// </summary>
    public static Microsoft.Extensions.Logging.ILogger AddPortalLogging(this WebApplicationBuilder builder, PortalHostSettings settings)
    {
        LoggerConfiguration Configure(LoggerConfiguration config)
        {
            config
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                // NATS.Net warns (with a stack trace) on every reconnect try; the gateway writes one line
                // per try instead, and OneLineLoggerFactory keeps NATS.Net's own errors to one line.
                .MinimumLevel.Override("NATS.Client", LogEventLevel.Error)
                // An unready /readyz would log an error on every probe; the gateway already logs the link state.
                .MinimumLevel.Override("Microsoft.Extensions.Diagnostics.HealthChecks", LogEventLevel.Fatal)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext();

            return settings.IsProduction
                ? config.WriteTo.Console(new RenderedCompactJsonFormatter())
                : config.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        }

        // For the few lines written before the host is built.
        var bootstrap = Configure(new LoggerConfiguration()).CreateLogger();
        Log.Logger = bootstrap;

        // The host's own logger, kept apart from the static one so that two hosts in one process do not
        // swap logs (the last one built would otherwise take every host's events). It sends every event
        // to each ILogEventSink in the services as well: that is how tests read the logs.
        builder.Services.AddSerilog((services, config) => Configure(config).ReadFrom.Services(services), preserveStaticLogger: true);
        var serilogFactory = builder.Services.Last(d => d.ServiceType == typeof(ILoggerFactory));
        builder.Services.Remove(serilogFactory);
        builder.Services.AddSingleton<ILoggerFactory>(services => new PerCategoryLoggerFactory(Resolve(serilogFactory, services)));

        return new SerilogLoggerFactory(bootstrap).CreateLogger("Portal.Host");
    }

    private static ILoggerFactory Resolve(ServiceDescriptor registered, IServiceProvider services) =>
        (ILoggerFactory)(registered.ImplementationInstance
            ?? registered.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, registered.ImplementationType!));
}
