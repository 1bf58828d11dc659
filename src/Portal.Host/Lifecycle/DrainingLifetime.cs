using System.Runtime.InteropServices;

namespace Portal.Host.Lifecycle;

/// <summary>
/// Replaces the console lifetime: on SIGTERM (Kubernetes stopping the pod) or Ctrl+C the node drains
/// first and only then stops the application. The console lifetime would raise <c>ApplicationStopping</c>
/// at once, and SignalR closes every socket on that, before the sockets could be told to move.
/// A second signal stops at once.
/// </summary>
internal sealed partial class DrainingLifetime(NodeDrain drain, IHostApplicationLifetime lifetime, ILogger<DrainingLifetime> logger)
    : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The host stops by itself; the runtime must not end the process under it.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) > 1)
        {
            LogStopNow(logger, context.Signal);
            lifetime.StopApplication();
            return;
        }

        LogSignal(logger, context.Signal);
        _ = drain.RunAsync().ContinueWith(_ => lifetime.StopApplication(), TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Signal}: draining, then stopping")]
    private static partial void LogSignal(ILogger logger, PosixSignal signal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Signal} again: stopping without waiting for the drain")]
    private static partial void LogStopNow(ILogger logger, PosixSignal signal);
}
