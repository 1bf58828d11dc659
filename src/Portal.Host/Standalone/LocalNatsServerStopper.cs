namespace Portal.Host.Standalone;

/// <summary>Kills the private nats-server when the host is asked to stop (Ctrl+C, SIGTERM).</summary>
internal sealed class LocalNatsServerStopper(LocalNatsServer server, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // After everything else has stopped, so the NATS connection closes cleanly first.
        lifetime.ApplicationStopped.Register(server.Dispose);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
