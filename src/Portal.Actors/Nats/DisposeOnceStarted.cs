namespace Portal.Actors.Nats;

/// <summary>
/// Disposes what a task starts (a subscription, a history follow) once it has started, without waiting:
/// an actor that stops before its start completed must not leave it open on the server. A failure to
/// dispose only means NATS is gone, and is observed so it never surfaces as an unobserved task exception.
/// </summary>
internal static class DisposeOnceStarted
{
    public static void Dispose<T>(Task<T>? starting)
        where T : IAsyncDisposable =>
        starting?.ContinueWith(
            static t => t.Result.DisposeAsync().AsTask().ContinueWith(
                static d => d.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously),
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously);
}
