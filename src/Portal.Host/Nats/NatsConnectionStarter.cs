using System.Diagnostics;
using Portal.Actors.Nats;

namespace Portal.Host.Nats;

/// <summary>
/// Starts the NATS connection with the host and waits for it only briefly: when NATS answers at once
/// the actors, which start next, subscribe on a live link instead of failing and backing off (while
/// <c>/readyz</c> would already say ready); when it does not, the web server comes up anyway,
/// <c>/readyz</c> reports not ready, and NATS.Net keeps retrying. Stopping closes the connection while
/// the actors are already stopped and nats-server (standalone) still runs.
/// </summary>
internal sealed class NatsConnectionStarter(NatsNetGateway gateway) : IHostedService
{
    private static readonly TimeSpan FirstConnectWait = TimeSpan.FromSeconds(3);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        gateway.StartConnecting();
        var clock = Stopwatch.StartNew();
        while (gateway.Link != NatsLink.Up && clock.Elapsed < FirstConnectWait && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => gateway.DisposeAsync().AsTask();
}
