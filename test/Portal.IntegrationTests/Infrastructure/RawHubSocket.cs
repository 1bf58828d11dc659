using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// The SignalR JSON protocol spoken by hand over a plain WebSocket: for browsers that misbehave in
/// ways the real client never would (stop reading, send raw frames).
/// </summary>
public sealed class RawHubSocket : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket = new();
    private readonly StringBuilder _pending = new();

    public WebSocketState State => _socket.State;

    public static async Task<RawHubSocket> ConnectAsync(Uri portal)
    {
        using var http = new HttpClient { BaseAddress = portal };
        using var negotiate = await http.PostAsync("hubs/portal/negotiate?negotiateVersion=1", null);
        negotiate.EnsureSuccessStatusCode();
        var token = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();

        var raw = new RawHubSocket();
        var ws = new UriBuilder(portal) { Scheme = "ws", Path = "hubs/portal", Query = $"id={token}" }.Uri;
        await raw._socket.ConnectAsync(ws, CancellationToken.None);
        await raw.SendFrameAsync("""{"protocol":"json","version":1}""");
        await raw.NextFrameAsync(); // handshake answer
        return raw;
    }

    /// <summary>Sends a non-blocking invocation (no result expected) of <paramref name="target"/> with one argument.</summary>
    public Task SendAsync(string target, object argument) =>
        SendFrameAsync(JsonSerializer.Serialize(new { type = 1, target, arguments = new[] { argument } }));

    public async Task SendFrameAsync(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + RecordSeparator);
        await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
    }

    /// <summary>Reads until an invocation of <paramref name="target"/> arrives; returns its arguments.</summary>
    public async Task<JsonElement> NextInvocationAsync(string target, TimeSpan? timeout = null, Func<JsonElement, bool>? match = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var frame = JsonDocument.Parse(await NextFrameAsync(cts.Token)).RootElement;
            if (frame.TryGetProperty("target", out var t) && t.GetString() == target
                && (match is null || match(frame.GetProperty("arguments")[0])))
            {
                return frame.GetProperty("arguments").Clone();
            }
        }
    }

    /// <summary>
    /// Reads invocations (target and first argument) until <paramref name="done"/> says the ones read so far are enough;
    /// returns all of them, in arrival order.
    /// </summary>
    public async Task<List<(string Target, JsonElement Argument)>> ReadUntilAsync(
        Func<IReadOnlyList<(string Target, JsonElement Argument)>, bool> done, TimeSpan? timeout = null)
    {
        var seen = new List<(string, JsonElement)>();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (!done(seen))
        {
            var frame = JsonDocument.Parse(await NextFrameAsync(cts.Token)).RootElement;
            if (frame.TryGetProperty("target", out var t))
            {
                seen.Add((t.GetString()!, frame.GetProperty("arguments")[0].Clone()));
            }
        }

        return seen;
    }

    private async Task<string> NextFrameAsync(CancellationToken cancel = default)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf(RecordSeparator, StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                return text[..end];
            }

            var read = await _socket.ReceiveAsync(buffer, cancel);
            if (read.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("The portal closed the socket.");
            }

            _pending.Append(Encoding.UTF8.GetString(buffer, 0, read.Count));
        }
    }

    /// <summary>Reads everything left until the server closes the socket; returns the invocation targets and first arguments seen.</summary>
    public async Task<List<(string Target, JsonElement Argument)>> DrainUntilClosedAsync(TimeSpan timeout)
    {
        var seen = new List<(string, JsonElement)>();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var frame = JsonDocument.Parse(await NextFrameAsync(cts.Token)).RootElement;
                if (frame.TryGetProperty("target", out var t))
                {
                    seen.Add((t.GetString()!, frame.GetProperty("arguments")[0].Clone()));
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return seen;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
