using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Protocol;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>One push as the browser got it: the event, its first argument, the optional second, and when (Stopwatch ticks).</summary>
public sealed record Push(string EventName, JsonElement Payload, JsonElement? Second)
{
    public long ReceivedAt { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();
}

/// <summary>The hub protocol a client speaks; the portal serves both.</summary>
public enum WireProtocol
{
    Json,
    MessagePack,
}

/// <summary>
/// A browser socket, played by the .NET SignalR client over a real Kestrel socket: records every
/// push the portal sends and lets a test wait for the next one of a kind. Over MessagePack the stock
/// client decodes each push and <see cref="MessagePackValues"/> turns it into JSON.
/// </summary>
public sealed class PortalClient : IAsyncDisposable
{
    private static readonly string[] OneArgumentPushes =
    [
        EventNames.Connected, EventNames.ConnectionStatus, EventNames.Error,
        .. BrowserMethods.Select(EventNames.ResponseOf),
    ];

    /// <summary>Live pushes and snapshots: their second argument is <c>{seq, epoch}</c>.</summary>
    private static readonly string[] LivePushes =
    [
        EventNames.DashboardStatsUpdate, EventNames.DashboardActivityNew, EventNames.PatientsNew,
        EventNames.PatientsUpdated, EventNames.ClaimsUpdated,
        EventNames.DashboardStats, EventNames.DashboardActivity, EventNames.PatientsListed,
    ];

    private readonly ConcurrentQueue<Push> _all = new();
    private readonly Channel<Push> _unread = Channel.CreateUnbounded<Push>();
    private readonly List<Push> _skipped = [];

    private PortalClient(HubConnection connection) => Connection = connection;

    public HubConnection Connection { get; }

    /// <summary>Every push so far, in arrival order.</summary>
    public IReadOnlyCollection<Push> All => _all;

    public static IEnumerable<string> BrowserMethods => Portal.Protocol.Browser.BrowserCallParser.Methods;

    public static async Task<PortalClient> ConnectAsync(Uri portal, WireProtocol protocol = WireProtocol.Json)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(portal, "hubs/portal"));
        if (protocol == WireProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }

        var connection = builder.Build();
        var client = new PortalClient(connection);
        foreach (var name in OneArgumentPushes)
        {
            if (protocol == WireProtocol.MessagePack)
            {
                connection.On<object?>(name, payload => client.Record(new Push(name, MessagePackValues.ToJson(payload), null)));
            }
            else
            {
                connection.On<JsonElement>(name, payload => client.Record(new Push(name, payload, null)));
            }
        }

        foreach (var name in LivePushes)
        {
            if (protocol == WireProtocol.MessagePack)
            {
                connection.On<object?, object?>(name, (payload, second) => client.Record(new Push(name, MessagePackValues.ToJson(payload), MessagePackValues.ToJson(second))));
            }
            else
            {
                connection.On<JsonElement, JsonElement>(name, (payload, second) => client.Record(new Push(name, payload, second)));
            }
        }

        await connection.StartAsync();
        await client.NextAsync(EventNames.Connected);
        return client;
    }

    /// <summary>Calls a hub method with one object argument (responses come back as pushes).</summary>
    public Task CallAsync(string method, object? args = null) => Connection.InvokeAsync(method, args ?? new { });

    /// <summary>Calls and waits for the <c>…:response</c> push.</summary>
    public async Task<JsonElement> AskAsync(string method, object? args = null)
    {
        await CallAsync(method, args);
        return (await NextAsync(EventNames.ResponseOf(method))).Payload;
    }

    /// <summary>The next unread push named <paramref name="eventName"/>; other pushes stay unread.</summary>
    public async Task<Push> NextAsync(string eventName, Func<Push, bool>? match = null, TimeSpan? timeout = null)
    {
        match ??= _ => true;
        var found = _skipped.FirstOrDefault(p => p.EventName == eventName && match(p));
        if (found is not null)
        {
            _skipped.Remove(found);
            return found;
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var push = await _unread.Reader.ReadAsync(cts.Token);
                if (push.EventName == eventName && match(push))
                {
                    return push;
                }

                _skipped.Add(push);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No '{eventName}' push within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds} s; got: "
                + string.Join(", ", _all.Select(p => p.EventName)));
        }
    }

    /// <summary>True when no push named <paramref name="eventName"/> arrives within <paramref name="window"/>.</summary>
    public async Task<bool> NoneAsync(string eventName, TimeSpan window)
    {
        try
        {
            await NextAsync(eventName, timeout: window);
            return false;
        }
        catch (TimeoutException)
        {
            return true;
        }
    }

    public async Task<JsonElement> ErrorAsync(string method) =>
        (await NextAsync(EventNames.Error, p => p.Payload.GetProperty("method").GetString() == method)).Payload;

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    private void Record(Push push)
    {
        _all.Enqueue(push);
        _unread.Writer.TryWrite(push);
    }
}
