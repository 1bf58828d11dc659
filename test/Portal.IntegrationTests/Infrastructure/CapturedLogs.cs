using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>Every log event of the portal under test, rendered with its properties, for the "no secrets in logs" checks.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public void Emit(LogEvent logEvent)
    {
        var properties = string.Join(" ", logEvent.Properties.Select(p => $"{p.Key}={p.Value}"));
        _lines.Enqueue($"{logEvent.Level} {logEvent.RenderMessage()} {properties} {logEvent.Exception}");
    }
}
