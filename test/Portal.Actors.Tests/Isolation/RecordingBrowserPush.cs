using System.Collections.Concurrent;
using System.Text.Json;
using Portal.Actors.Browser;
using Portal.Protocol.Json;

namespace Portal.Actors.Tests.Isolation;

/// <summary>Records every push per socket in the order the actors made them, as the host's outbox would send them.</summary>
public sealed class RecordingBrowserPush : IBrowserPush
{
    public sealed record Recorded(string EventName, JsonElement Payload);

    private readonly ConcurrentDictionary<string, ConcurrentQueue<Recorded>> _bySocket = new();
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public IReadOnlyDictionary<string, ConcurrentQueue<Recorded>> BySocket => _bySocket;

    public void Send(string connectionId, string eventName, object payload, object? second = null)
    {
        var json = JsonSerializer.SerializeToElement(payload, payload.GetType(), PortalJsonContext.Default.Options);
        _bySocket.GetOrAdd(connectionId, _ => new ConcurrentQueue<Recorded>()).Enqueue(new Recorded(eventName, json));
        Interlocked.Increment(ref _total);
    }

    public PreparedPush Prepare(string eventName, object payload, object? second = null) => new(eventName, payload, second);

    public void Send(string connectionId, PreparedPush push) => Send(connectionId, push.EventName, push.Payload, push.Second);

    public void Close(string connectionId)
    {
    }
}
