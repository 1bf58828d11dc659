namespace Portal.Host.Nats;

/// <summary>
/// Starts the NATS connection with the host but does not wait for it: the web server comes up,
/// <c>/readyz</c> reports not ready, and NATS.Net keeps retrying until the link is up.
/// </summary>
internal sealed class NatsConnectionStarter(NatsNetGateway gateway) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        gateway.StartConnecting();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
