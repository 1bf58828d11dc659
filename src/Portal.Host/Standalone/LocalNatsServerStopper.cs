namespace Portal.Host.Standalone;

/// <summary>
/// Kills the private nats-server when the host stops (Ctrl+C, SIGTERM). Registered before the NATS
/// and actor services, so it stops after them and the NATS connection closes cleanly first. The
/// container's dispose and a process-exit hook in <see cref="LocalNatsServer"/> back this up.
/// </summary>
internal sealed class LocalNatsServerStopper(LocalNatsServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        server.Dispose();
        return Task.CompletedTask;
    }
}
