using Microsoft.Extensions.Logging;

namespace Portal.DemoServices;

/// <summary>
/// NATS.Net logs an error with a full stack trace on every reconnect try; while NATS is down that
/// buries everything else. This keeps its warnings and errors as one-line warnings, without the
/// exception, and drops its chatter below warning. Only the demo's own connection uses it.
/// </summary>
internal sealed class QuietNatsLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new QuietLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The inner factory belongs to the host; it is not ours to dispose.
    public void Dispose()
    {
    }

    private sealed class QuietLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(LogLevel.Warning);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var message = formatter(state, exception);
            // The type says enough; a message may repeat the server URL with its credentials.
            var reason = exception is null ? "" : $" ({exception.GetType().Name})";
            inner.Log(LogLevel.Warning, eventId, message + reason, null, static (s, _) => s);
        }
    }
}
