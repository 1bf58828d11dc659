using Portal.Host.Configuration;

namespace Portal.Host.Standalone;

/// <summary>
/// Standalone mode on a NATS the portal did not start (allowed outside production only): says once,
/// at start, that the demo services now answer demo logins on that bus, so nobody leaves it so by accident.
/// </summary>
internal sealed partial class SharedBusWarning(PortalHostSettings settings, ILogger<SharedBusWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogDemoOnSharedBus(logger, PortalHostSettings.RedactedUrl(settings.NatsUrl));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "STANDALONE_MODE on NATS {NatsUrl}, which this portal did not start: the demo services answer demo logins, an admin among them, for anyone on that NATS")]
    private static partial void LogDemoOnSharedBus(ILogger logger, string natsUrl);
}
