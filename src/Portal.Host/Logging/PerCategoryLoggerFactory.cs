using System.Collections.Concurrent;

namespace Portal.Host.Logging;

/// <summary>
/// Keeps one logger per category. Serilog's factory makes a new logger, with its own property caches,
/// on every <c>CreateLogger</c>, and SignalR asks for several per connection: about 1.5 KiB per socket
/// that Microsoft's own factory would not spend.
/// </summary>
internal sealed class PerCategoryLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, inner.CreateLogger);

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();
}
