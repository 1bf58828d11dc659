using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Portal.Bench.Load;

/// <summary>
/// One simulated browser of the rolling restart, doing what the page does (src/Portal.Web/src/portal.ts): logged in,
/// tenant selected, patients and dashboard subscribed; it notes the <c>{seq, epoch}</c> of every push; told
/// <c>connection:status {draining: true}</c> (or closed without being told) it closes its socket, opens one on the
/// other node and sends <c>auth:resume {token, tenantId, subscriptions, lastSeq, epoch}</c>. Every numbered broadcast
/// it receives goes into a ledger, so missed and duplicated ones can be counted afterwards.
/// </summary>
internal sealed class MovingPortalClient
{
    private static readonly string[] OneArgumentEvents =
        ["connected", "auth:login:response", "user:tenant:select:response", "auth:resume:response"];

    private static readonly string[] PatientsSnapshot = ["patients:list"];
    private static readonly string[] DashboardSnapshots = ["dashboard:stats", "dashboard:activity"];

    private readonly RollingRestartLoad _owner;
    private readonly int _index;
    private readonly object _lock = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new(StringComparer.Ordinal);
    private HubConnection? _connection;
    private int _generation;
    private int _moving;
    private string? _token;
    private long? _patientsSeq;
    private long? _dashboardSeq;
    private string? _epoch;

    public MovingPortalClient(RollingRestartLoad owner, int index, int node)
    {
        _owner = owner;
        _index = index;
        Node = node;
    }

    /// <summary>The node its socket is on (0 or 1).</summary>
    public int Node { get; private set; }

    public FeedLedger Patients { get; } = new();

    public FeedLedger Dashboard { get; } = new();

    /// <summary>The last move of this client, or null while it has not moved.</summary>
    public ClientMove? Move { get; private set; }

    /// <summary>Login, tenant select and both subscriptions on its node, waiting for the two snapshots.</summary>
    public async Task SetupAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(Node, ct);
        var (email, password) = _index % 2 == 0 ? ("demo@htpi.com", "demo123") : ("john@example.com", "password123");
        var login = await AskAsync(connection, "auth:login", "auth:login:response", new { email, password }, ct);
        Check(login, "login");
        _token = login.GetProperty("token").GetString();
        Check(await AskAsync(connection, "user:tenant:select", "user:tenant:select:response", new { tenantId = _owner.Tenant }, ct), "tenant select");
        await AskAsync(connection, "patients:subscribe", "patients:list", new { }, ct);
        await AskAsync(connection, "dashboard:subscribe", "dashboard:stats", new { }, ct);
    }

    public async ValueTask DisposeAsync()
    {
        HubConnection? connection;
        lock (_lock)
        {
            _generation++; // its close is ours, not a reason to move
            connection = _connection;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<HubConnection> OpenAsync(int node, CancellationToken ct)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(_owner.UrlOf(node), http =>
            {
                http.Transports = HttpTransportType.WebSockets;
                http.SkipNegotiation = true;
            })
            .Build();

        // Bench client settings, as in the connect storm: a starved 2-core box must not look like a dead server.
        connection.ServerTimeout = TimeSpan.FromMinutes(3);
        connection.HandshakeTimeout = TimeSpan.FromMinutes(1);
        int generation;
        lock (_lock)
        {
            generation = ++_generation;
            _connection = connection;
            Node = node;
        }

        foreach (var name in OneArgumentEvents)
        {
            connection.On<JsonElement>(name, payload => Answered(name, payload));
        }

        foreach (var name in PatientsSnapshot)
        {
            connection.On<JsonElement, JsonElement>(name, (payload, position) => Snapshot(name, payload, position, dashboard: false));
        }

        foreach (var name in DashboardSnapshots)
        {
            connection.On<JsonElement, JsonElement>(name, (payload, position) => Snapshot(name, payload, position, dashboard: true));
        }

        connection.On<JsonElement, JsonElement>("patients:new", (patient, position) => Live(patient, position, dashboard: false));
        connection.On<JsonElement, JsonElement>("dashboard:activity:new", (activity, position) => Live(activity, position, dashboard: true));
        connection.On<JsonElement>("connection:status", status =>
        {
            if (status.TryGetProperty("draining", out var draining) && draining.ValueKind == JsonValueKind.True)
            {
                BeginMove(told: true);
            }
        });
        connection.On<JsonElement>("error", _ => _owner.Stats.ErrorPush());
        connection.Closed += _ =>
        {
            bool current;
            lock (_lock)
            {
                current = generation == _generation;
            }

            if (current && Volatile.Read(ref _moving) == 0)
            {
                BeginMove(told: false);
            }

            return Task.CompletedTask;
        };

        var connected = Expect("connected");
        await connection.StartAsync(ct);
        await connected.WaitAsync(ct);
        return connection;
    }

    private void BeginMove(bool told)
    {
        if (Interlocked.Exchange(ref _moving, 1) == 1)
        {
            return;
        }

        var move = new ClientMove(Node, Stopwatch.GetTimestamp(), told);
        Move = move;
        _ = Task.Run(() => MoveAsync(move));
    }

    private async Task MoveAsync(ClientMove move)
    {
        try
        {
            // As the page does: leave the draining node now, then reconnect (the load balancer picks another node).
            HubConnection? old;
            lock (_lock)
            {
                _generation++;
                old = _connection;
            }

            if (old is not null)
            {
                await old.DisposeAsync();
            }

            await _owner.ReconnectGate.WaitAsync();
            try
            {
                await ResumeElsewhereAsync(move);
            }
            finally
            {
                _owner.ReconnectGate.Release();
            }
        }
        catch (Exception e)
        {
            move.Failure = e.GetType().Name + ": " + e.Message;
        }
        finally
        {
            Volatile.Write(ref _moving, 0);
        }
    }

    private async Task ResumeElsewhereAsync(ClientMove move)
    {
        var wait = TimeSpan.FromMilliseconds(200);
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            // The other node first; then both in turn, as a load balancer would pick whichever is ready
            // (a socket closed without being told, say as a slow consumer, may find its own node the one that is up).
            var target = (move.From + 1 + move.Attempts) % 2;
            move.Attempts++;
            try
            {
                var connection = await OpenAsync(target, giveUp.Token);
                move.ConnectedAt = Stopwatch.GetTimestamp();
                object lastSeq;
                string? epoch;
                lock (_lock)
                {
                    lastSeq = new { patients = _patientsSeq, dashboard = _dashboardSeq };
                    epoch = _epoch;
                }

                var answer = await AskAsync(connection, "auth:resume", "auth:resume:response", new
                {
                    token = _token,
                    tenantId = _owner.Tenant,
                    subscriptions = new[] { "patients", "dashboard" },
                    lastSeq,
                    epoch,
                    requestId = "resume",
                }, giveUp.Token);
                move.Succeeded = answer.TryGetProperty("success", out var s) && s.ValueKind == JsonValueKind.True
                    && answer.TryGetProperty("tenantId", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == _owner.Tenant;
                move.Recovered = answer.TryGetProperty("recovered", out var r) && r.ValueKind == JsonValueKind.True;
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !giveUp.IsCancellationRequested)
            {
                // The other node not there yet (or refusing while it drains): again with backoff, as the page does.
                move.LastError = e.GetType().Name + ": " + e.Message;
                await Task.Delay(wait, giveUp.Token);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private void Answered(string name, JsonElement payload)
    {
        if (name == "auth:resume:response" && Move is { } move && move.ResumedAt == 0)
        {
            move.ResumedAt = Stopwatch.GetTimestamp();
        }

        if (_pending.TryRemove(name, out var waiter))
        {
            waiter.TrySetResult(payload.Clone());
        }
    }

    private void Snapshot(string name, JsonElement payload, JsonElement position, bool dashboard)
    {
        Note(position, dashboard);
        if (Move is { } move)
        {
            Interlocked.Increment(ref move.SnapshotPushes);
        }

        if (_pending.TryRemove(name, out var waiter))
        {
            waiter.TrySetResult(payload.Clone());
        }
    }

    private void Live(JsonElement inner, JsonElement position, bool dashboard)
    {
        var now = Stopwatch.GetTimestamp();
        var id = inner.TryGetProperty("id", out var idValue) ? idValue.GetString() : null;
        if (id is null || !id.StartsWith(RollingRestartLoad.IdPrefix, StringComparison.Ordinal)
            || !long.TryParse(id.AsSpan(RollingRestartLoad.IdPrefix.Length), out var number))
        {
            return;
        }

        var sentAt = inner.GetProperty("sentAt").GetInt64();
        lock (_lock)
        {
            (dashboard ? Dashboard : Patients).Record(number);
        }

        Note(position, dashboard);
        if (Move is { ResumedAt: > 0 } move)
        {
            if (sentAt < move.ResumedAt)
            {
                // Published before the resume was answered: given back by the history, not live; its latency is the outage.
                Interlocked.Increment(ref move.DeliveredFromBeforeTheResume);
                return;
            }

            if (move.LiveAgainAt == 0)
            {
                move.LiveAgainAt = now;
            }
        }

        _owner.Stats.Latency.Record((now - sentAt) * 1_000_000 / Stopwatch.Frequency);
    }

    // What the page keeps for a resume: the latest seq of each feed, forgotten when the epoch changes.
    private void Note(JsonElement position, bool dashboard)
    {
        if (position.ValueKind != JsonValueKind.Object
            || !position.TryGetProperty("seq", out var seqValue) || !seqValue.TryGetInt64(out var seq)
            || !position.TryGetProperty("epoch", out var epochValue) || epochValue.GetString() is not { } epoch)
        {
            return;
        }

        lock (_lock)
        {
            if (_epoch != epoch)
            {
                _epoch = epoch;
                _patientsSeq = null;
                _dashboardSeq = null;
            }

            if (dashboard)
            {
                _dashboardSeq = seq;
            }
            else
            {
                _patientsSeq = seq;
            }
        }
    }

    private async Task<JsonElement> AskAsync(HubConnection connection, string method, string answer, object args, CancellationToken ct)
    {
        var waiter = Expect(answer);
        await connection.SendAsync(method, args, ct);
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
