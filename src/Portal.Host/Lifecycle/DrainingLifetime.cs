using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Portal.Host.Lifecycle;

/// <summary>
/// Replaces the console lifetime: on SIGTERM (Kubernetes stopping the pod) or Ctrl+C the node drains
/// first and only then stops the application. The console lifetime would raise <c>ApplicationStopping</c>
/// at once, and SignalR aborts every socket on that, before the sockets could be told to move.
/// A second signal stops waiting for the sockets; the same signal again within <see cref="DuplicateWindow"/>
/// is not a second one: a Ctrl+C reaches the whole process group, and <c>dotnet run</c> may pass it on too.
/// </summary>
internal sealed partial class DrainingLifetime(NodeDrain drain, IHostApplicationLifetime lifetime, ILogger<DrainingLifetime> logger)
    : IHostLifetime, IDisposable
{
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(1);

    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly Lock _lock = new();
    private PosixSignal? _first;
    private long _firstAt;

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
        switch (Classify(context.Signal))
        {
            case Arrival.First:
                LogSignal(logger, context.Signal);
                _ = drain.RunAsync().ContinueWith(_ => lifetime.StopApplication(), TaskScheduler.Default);
                break;
            case Arrival.Duplicate:
                LogDuplicate(logger, context.Signal, DuplicateWindow.TotalSeconds);
                break;
            default:
                LogStopNow(logger, context.Signal);
                drain.StopWaiting();
                break;
        }
    }

    private Arrival Classify(PosixSignal signal)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (_first is not { } first)
            {
                (_first, _firstAt) = (signal, now);
                return Arrival.First;
            }

            return first == signal && Stopwatch.GetElapsedTime(_firstAt, now) < DuplicateWindow ? Arrival.Duplicate : Arrival.Second;
        }
    }

    private enum Arrival
    {
        First,
        Duplicate,
        Second,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Signal}: draining, then stopping")]
    private static partial void LogSignal(ILogger logger, PosixSignal signal);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Signal} again within {Seconds} s: the same stop passed on (a Ctrl+C reaches the whole process group), not a second one")]
    private static partial void LogDuplicate(ILogger logger, PosixSignal signal, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Signal} again: stopping without waiting for the sockets to leave")]
    private static partial void LogStopNow(ILogger logger, PosixSignal signal);
}
