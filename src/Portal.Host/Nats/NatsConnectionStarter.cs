namespace Portal.Host.Nats;

/// <summary>
/// Starts the NATS connection with the host but does not wait for it: the web server comes up,
/// <c>/readyz</c> reports not ready, and NATS.Net keeps retrying until the link is up. Stopping
/// closes the connection while the actors are already stopped and nats-server (standalone) still runs.
/// </summary>
internal sealed class NatsConnectionStarter(NatsNetGateway gateway) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        gateway.StartConnecting();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => gateway.DisposeAsync().AsTask();
}
