using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;

namespace Portal.Bench.Load;

internal sealed record LoadOptions(string Target, string Url, string NatsUrl, string Protocol, string Tenant, int Concurrency);

/// <summary>One simulated browser.</summary>
internal interface IBenchClient : IAsyncDisposable
{
    Task SetupAsync(bool subscribe, CancellationToken ct);

    /// <summary>One <c>patients:view</c> (or the direct NATS request behind it); true when it succeeded.</summary>
    Task<bool> ViewAsync(CancellationToken ct);
}

internal static class Payloads
{
    public const string PatientId = "p-001-01";

    public static long SentAt(JsonElement patient) => patient.GetProperty("sentAt").GetInt64();

    public static long SentAt(ReadOnlySpan<byte> envelope)
    {
        using var document = JsonDocument.Parse(envelope.ToArray());
        return document.RootElement.GetProperty("patient").GetProperty("sentAt").GetInt64();
    }
}

/// <summary>A SignalR socket, JSON or MessagePack, to the portal (the whole login flow) or to the bare hub (join two groups).</summary>
internal sealed class SignalRClient : IBenchClient
{
    private static readonly string[] OneArgumentEvents =
    [
        "connected", "auth:login:response", "user:tenant:select:response", "patients:view:response",
    ];

    /// <summary>Snapshots: their second argument is the <c>{seq, epoch}</c> they are current as of.</summary>
    private static readonly string[] SnapshotEvents = ["patients:list", "dashboard:stats"];

    private readonly HubConnection _connection;
    private readonly LoadOptions _options;
    private readonly BenchStats _stats;
    private readonly int _index;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new(StringComparer.Ordinal);
    private volatile bool _disposing;

    public SignalRClient(LoadOptions options, BenchStats stats, int index)
    {
        _options = options;
        _stats = stats;
        _index = index;
        var builder = new HubConnectionBuilder()
            .WithUrl(options.Url, http =>
            {
                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
            });
        if (options.Protocol == "messagepack")
        {
            builder.AddMessagePackProtocol();
        }

        _connection = builder.Build();
        // An overloaded 2-core box can starve keep-alives; a benchmark must not mistake that for a dead server.
        _connection.ServerTimeout = TimeSpan.FromMinutes(3);
        _connection.HandshakeTimeout = TimeSpan.FromMinutes(1);
        _connection.Closed += _ =>
        {
            if (!_disposing)
            {
                _stats.ClosedUnexpectedly();
            }

            return Task.CompletedTask;
        };

        if (options.Protocol == "messagepack")
        {
            _connection.On<Dictionary<string, object>, Dictionary<string, object>>("patients:new",
                (patient, _) => _stats.Deliver(Convert.ToInt64(patient["sentAt"], CultureInfo.InvariantCulture)));
        }
        else
        {
            _connection.On<JsonElement, JsonElement>("patients:new", (patient, _) => _stats.Deliver(Payloads.SentAt(patient)));
        }

        // Typed as object so either protocol binds: JSON gives a JsonElement, MessagePack maps and arrays.
        foreach (var name in OneArgumentEvents)
        {
            _connection.On<object?>(name, payload =>
            {
                if (_pending.TryRemove(name, out var waiter))
                {
                    waiter.TrySetResult(payload as JsonElement? ?? JsonSerializer.SerializeToElement(payload));
                }
            });
        }

        foreach (var name in SnapshotEvents)
        {
            _connection.On<object?, object?>(name, (payload, _) =>
            {
                if (_pending.TryRemove(name, out var waiter))
                {
                    waiter.TrySetResult(payload as JsonElement? ?? JsonSerializer.SerializeToElement(payload));
                }
            });
        }

        _connection.On<object?>("error", _ => _stats.ErrorPush());
    }

    public async Task SetupAsync(bool subscribe, CancellationToken ct)
    {
        if (_options.Target == "bare")
        {
            await _connection.StartAsync(ct);
            if (subscribe)
            {
                await _connection.InvokeAsync("join", "patients." + _options.Tenant, ct);
                await _connection.InvokeAsync("join", "dashboard." + _options.Tenant, ct);
            }

            return;
        }

        var connected = Expect("connected");
        await _connection.StartAsync(ct);
        await connected.WaitAsync(ct);

        var (email, password) = _index % 2 == 0 ? ("demo@htpi.com", "demo123") : ("john@example.com", "password123");
        Check(await AskAsync("auth:login", "auth:login:response", new { email, password }, ct), "login");
        Check(await AskAsync("user:tenant:select", "user:tenant:select:response", new { tenantId = _options.Tenant }, ct), "tenant select");
        if (subscribe)
        {
            await AskAsync("patients:subscribe", "patients:list", new { }, ct);
            await AskAsync("dashboard:subscribe", "dashboard:stats", new { }, ct);
        }
    }

    public async Task<bool> ViewAsync(CancellationToken ct)
    {
        if (_options.Target == "bare")
        {
            throw new InvalidOperationException("The bare hub has no patients:view.");
        }

        var answer = await AskAsync("patients:view", "patients:view:response", new { patientId = Payloads.PatientId }, ct);
        return answer.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True;
    }

    public async ValueTask DisposeAsync()
    {
        _disposing = true;
        await _connection.DisposeAsync();
    }

    private async Task<JsonElement> AskAsync(string method, string answer, object args, CancellationToken ct)
    {
        var waiter = Expect(answer);
        await _connection.SendAsync(method, args, ct);
        return await waiter.WaitAsync(ct);
    }

    private Task<JsonElement> Expect(string name)
    {
        var waiter = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[name] = waiter;
        return waiter.Task;
    }

    private static void Check(JsonElement answer, string what)
    {
        if (!(answer.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True))
        {
            throw new InvalidOperationException($"{what} failed: {answer.GetRawText()}");
        }
    }
}

/// <summary>The browser-direct alternative: NATS.Net over nats-server's WebSocket listener, subscribing to the same subjects.</summary>
internal sealed class DirectNatsClient(LoadOptions options, BenchStats stats, DirectCredentials credentials) : IBenchClient
{
    private readonly NatsConnection _nats = new(new NatsOpts
    {
        Url = options.Url,
        Name = "bench-direct",
        ConnectTimeout = TimeSpan.FromMinutes(1),
        RequestTimeout = TimeSpan.FromSeconds(30),
    });

    private readonly List<Task> _readers = [];

    public async Task SetupAsync(bool subscribe, CancellationToken ct)
    {
        await _nats.ConnectAsync();
        if (!subscribe)
        {
            return;
        }

        var patients = await _nats.SubscribeCoreAsync<ReadOnlyMemory<byte>>("customer.broadcast.patients." + options.Tenant, cancellationToken: ct);
        var dashboard = await _nats.SubscribeCoreAsync<ReadOnlyMemory<byte>>("customer.broadcast.dashboard." + options.Tenant, cancellationToken: ct);
        _readers.Add(ReadAsync(patients, deliver: true));
        _readers.Add(ReadAsync(dashboard, deliver: false));
    }

    public async Task<bool> ViewAsync(CancellationToken ct)
    {
        var headers = new NatsHeaders { ["Authorization"] = "Bearer " + credentials.Token };
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { tenantId = options.Tenant, userId = credentials.UserId, patientId = Payloads.PatientId }));
        var reply = await _nats.RequestAsync<byte[], byte[]>("htpi.patient.get", body, headers, cancellationToken: ct);
        using var document = JsonDocument.Parse(reply.Data ?? []);
        return document.RootElement.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True;
    }

    public async ValueTask DisposeAsync() => await _nats.DisposeAsync();

    private async Task ReadAsync(INatsSub<ReadOnlyMemory<byte>> sub, bool deliver)
    {
        await foreach (var msg in sub.Msgs.ReadAllAsync())
        {
            if (deliver)
            {
                stats.Deliver(Payloads.SentAt(msg.Data.Span));
            }
        }
    }
}

internal sealed record DirectCredentials(string Token, string UserId);

internal static class ClientFactory
{
    public static IBenchClient Create(LoadOptions options, BenchStats stats, int index, DirectCredentials? credentials) =>
        options.Target switch
        {
            "direct" => new DirectNatsClient(options, stats, credentials ?? new DirectCredentials("", "")),
            _ => new SignalRClient(options, stats, index),
        };
}
