using System.Text.RegularExpressions;

namespace Portal.Host.Nats;

/// <summary>
/// The logger factory handed to NATS.Net. NATS.Net logs a full stack trace for every failed
/// connect try; this keeps each of its lines to one line (exception type and message only) and
/// masks any user:password@ in the server URLs it prints.
/// </summary>
internal sealed partial class OneLineLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new OneLineLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The host owns the inner factory.
    public void Dispose()
    {
    }

    /// <summary>Masks the user info of any URL in <paramref name="text"/>.</summary>
    public static string Redact(string text) => UserInfo().Replace(text, "://***@");

    [GeneratedRegex(@"://[^/@\s]+@")]
    private static partial Regex UserInfo();

    private sealed class OneLineLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var text = formatter(state, null);
            if (exception is not null)
            {
                text += $" ({exception.GetType().Name}: {exception.Message})";
            }

            inner.Log(logLevel, eventId, Redact(text), null, static (line, _) => line);
        }
    }
}
