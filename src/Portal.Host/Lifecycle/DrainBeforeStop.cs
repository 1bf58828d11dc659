namespace Portal.Host.Lifecycle;

/// <summary>
/// Runs the drain when the host is stopped from code (a test's <c>StopAsync</c>, a factory's dispose):
/// <see cref="IHostedLifecycleService.StoppingAsync"/> runs before <c>ApplicationStopping</c>, on which
/// SignalR closes every connection, and before any hosted service (actors, NATS) stops.
/// </summary>
internal sealed class DrainBeforeStop(NodeDrain drain) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => drain.RunAsync().WaitAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
