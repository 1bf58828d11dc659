using System.Diagnostics;
using System.Globalization;
using System.Text;
using NATS.Client.Core;

namespace Portal.Bench.Load;

/// <summary>
/// The load side of the rolling restart: N <see cref="MovingPortalClient"/>s spread over two portal nodes, a
/// publisher of numbered broadcasts (patients and dashboard, alternately) at a fixed rate, and a count of what
/// the services are asked. The orchestrator signals the nodes; this side says who moved, how fast, and what
/// was missed or doubled. Commands (see Program.cs): roll-connect, roll-publish, roll-move, roll-wait, roll-node, roll-stop.
/// </summary>
internal sealed class RollingRestartLoad(LoadOptions options, NatsConnection publisher, ServiceRequestCounter requests)
{
    /// <summary>Ids of the broadcasts this load publishes: <c>roll-&lt;number&gt;</c>, numbered per feed from 0.</summary>
    public const string IdPrefix = "roll-";

    private static readonly string[] SnapshotSubjects = ["htpi.patient.list", "htpi.dashboard.get.stats", "htpi.dashboard.get.activity"];

    private readonly string[] _urls = options.Url.Split(',');
    private readonly List<MovingPortalClient> _clients = [];
    private readonly Dictionary<MovingPortalClient, long> _missedAtCheckpoint = [];
    private CancellationTokenSource? _stopPublishing;
    private Task _publishing = Task.CompletedTask;
    private long _publishedPatients;
    private long _publishedDashboard;
    private long _duplicatesAtCheckpoint;
    private List<MovingPortalClient> _moving = [];
    private long _moveMarkedAt;

    public string Tenant => options.Tenant;

    public BenchStats Stats { get; } = new();

    /// <summary>Reconnects in flight at once, as the connect storm limits its connects: the load process's limit, not the product's.</summary>
    public SemaphoreSlim ReconnectGate { get; } = new(options.Concurrency);

    public string UrlOf(int node) => Volatile.Read(ref _urls[node]);

    /// <summary><c>roll-node INDEX URL</c>: the node came back elsewhere (a new port).</summary>
    public object SetNode(int node, string url)
    {
        Volatile.Write(ref _urls[node], url);
        return new { node, url };
    }

    /// <summary><c>roll-connect N</c>: N clients, client i on node i mod 2, each through the whole login flow.</summary>
    public async Task<object> ConnectAsync(int count)
    {
        var started = Stopwatch.GetTimestamp();
        var made = new MovingPortalClient?[count];
        var failures = 0;
        string? firstError = null;
        using var gate = new SemaphoreSlim(options.Concurrency);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                var client = new MovingPortalClient(this, i, i % _urls.Length);
                await client.SetupAsync(timeout.Token);
                made[i] = client;
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstError, e.GetType().Name + ": " + e.Message, null);
            }
            finally
            {
                gate.Release();
            }
        }));
        _clients.AddRange(made.OfType<MovingPortalClient>());
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new { ok = _clients.Count, failed = failures, seconds, firstError, perNode = PerNode() };
    }

    /// <summary><c>roll-publish RATE</c>: starts publishing RATE broadcasts/s in all, patients and dashboard taking turns.</summary>
    public object StartPublishing(double rate)
    {
        _stopPublishing = new CancellationTokenSource();
        var stop = _stopPublishing.Token;
        _publishing = Task.Run(async () =>
        {
            var start = Stopwatch.GetTimestamp();
            for (long k = 0; !stop.IsCancellationRequested; k++)
            {
                var due = TimeSpan.FromSeconds(k / rate) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, CancellationToken.None);
                }

                if (k % 2 == 0)
                {
                    var n = Volatile.Read(ref _publishedPatients);
                    await publisher.PublishAsync("customer.broadcast.patients." + Tenant, Patient(n), cancellationToken: CancellationToken.None);
                    Interlocked.Increment(ref _publishedPatients);
                }
                else
                {
                    var n = Volatile.Read(ref _publishedDashboard);
                    await publisher.PublishAsync("customer.broadcast.dashboard." + Tenant, Activity(n), cancellationToken: CancellationToken.None);
                    Interlocked.Increment(ref _publishedDashboard);
                }
            }
        }, CancellationToken.None);
        return new { rate, feeds = 2 };
    }

    /// <summary>
    /// <c>roll-move NODE</c>, sent just before the orchestrator signals NODE: settles and counts what was missed so
    /// far (so the move's figures are its own), resets the service count, and notes the clients on NODE.
    /// </summary>
    public async Task<object> MarkMoveAsync(int node)
    {
        await CheckpointAsync();
        await requests.ResetAsync();
        Stats.StartPhase(Stopwatch.GetTimestamp());
        _moving = _clients.Where(c => c.Node == node).ToList();
        _moveMarkedAt = Stopwatch.GetTimestamp();
        return new { node, sockets = _moving.Count, perNode = PerNode() };
    }

    /// <summary>
    /// <c>roll-wait NODE SECONDS SIGNALLED_AT</c>: waits until every client that was on NODE has moved and been
    /// answered (or SECONDS passed), lets the deliveries settle, and reports the move. SIGNALLED_AT is the
    /// orchestrator's <see cref="Stopwatch"/> timestamp of the signal: CLOCK_MONOTONIC on Linux, one clock for both processes.
    /// </summary>
    public async Task<object> WaitMoveAsync(int node, double seconds, long signalledAt)
    {
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        bool Done(MovingPortalClient c) => c.Move is { } m && m.DrainedAt >= _moveMarkedAt && (m.ResumedAt > 0 || m.Failure is not null);
        while (!_moving.All(Done) && Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(100);
        }

        var waitedSeconds = (Stopwatch.GetTimestamp() - signalledAt) / (double)Stopwatch.Frequency;
        var moves = _moving.Select(c => c.Move).OfType<ClientMove>().Where(m => m.DrainedAt >= _moveMarkedAt).ToList();
        var resumed = moves.Where(m => m.ResumedAt > 0).ToList();
        var asked = await requests.CountsAsync();
        var latency = Stats.Latency.Summary();
        var movedClients = _moving.Where(c => c.Move is { } m && m.DrainedAt >= _moveMarkedAt).ToHashSet();
        var recoveredClients = movedClients.Where(c => c.Move!.Recovered).ToHashSet();
        var (missed, duplicates, settle) = await CheckpointAsync(movedClients, recoveredClients);

        double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
        var resumeMs = new LatencyHistogram();
        var liveAgainMs = new LatencyHistogram();
        var connectedMs = new LatencyHistogram();
        foreach (var m in resumed)
        {
            connectedMs.Record((long)(Ms(m.DrainedAt, m.ConnectedAt) * 1000));
            resumeMs.Record((long)(Ms(m.DrainedAt, m.ResumedAt) * 1000));
            if (m.LiveAgainAt > 0)
            {
                liveAgainMs.Record((long)(Ms(m.DrainedAt, m.LiveAgainAt) * 1000));
            }
        }

        var totalAsked = asked.Values.Sum();
        return new
        {
            node,
            sockets = _moving.Count,
            moved = moves.Count,
            told = moves.Count(m => m.Told),
            closedWithoutBeingTold = moves.Count(m => !m.Told),
            resumed = resumed.Count,
            resumedWithTenant = resumed.Count(m => m.Succeeded),
            recoveredTrue = resumed.Count(m => m.Recovered),
            recoveredFalse = resumed.Count(m => !m.Recovered),
            notBack = _moving.Count - resumed.Count,
            failed = moves.Count(m => m.Failure is not null),
            firstFailure = moves.Select(m => m.Failure ?? (m.ResumedAt == 0 ? m.LastError : null)).FirstOrDefault(f => f is not null),
            reconnectAttempts = moves.Sum(m => m.Attempts),
            missedOnRecovered = missed.Recovered,
            missedOnNotRecovered = missed.NotRecovered,
            missedOnSocketsThatStayed = missed.Stayed,
            duplicated = duplicates,
            snapshotPushes = moves.Sum(m => m.SnapshotPushes),
            replayedPushes = moves.Sum(m => m.DeliveredFromBeforeTheResume),
            serviceRequests = asked,
            serviceRequestsTotal = totalAsked,
            snapshotRequests = SnapshotSubjects.Sum(s => asked.GetValueOrDefault(s)),
            serviceRequestsPerMovedSocket = moves.Count > 0 ? totalAsked / (double)moves.Count : 0,
            firstToldMs = moves.Count > 0 ? Ms(signalledAt, moves.Min(m => m.DrainedAt)) : 0,
            lastToldMs = moves.Count > 0 ? Ms(signalledAt, moves.Max(m => m.DrainedAt)) : 0,
            resumeMs = resumeMs.Summary(),
            liveAgainMs = liveAgainMs.Summary(),
            connectedMs = connectedMs.Summary(),
            moveSeconds = resumed.Count > 0 ? Ms(signalledAt, resumed.Max(m => m.ResumedAt)) / 1000 : waitedSeconds,
            liveLatencyMs = latency,
            settle,
            errorPushes = Stats.ErrorPushes,
            perNode = PerNode(),
        };
    }

    /// <summary><c>roll-stop</c>: stops the publisher, lets the last deliveries settle and sums up the whole run.</summary>
    public async Task<object> StopAsync()
    {
        if (_stopPublishing is not null)
        {
            await _stopPublishing.CancelAsync();
            await _publishing;
        }

        var (watermarkPatients, watermarkDashboard) = (Volatile.Read(ref _publishedPatients), Volatile.Read(ref _publishedDashboard));
        var settle = await SettleAsync(watermarkPatients, watermarkDashboard);
        long missed = 0;
        long duplicates = 0;
        foreach (var c in _clients)
        {
            missed += Missed(c, watermarkPatients, watermarkDashboard);
            duplicates += c.Patients.Duplicates + c.Dashboard.Duplicates;
        }

        var result = new { publishedPatients = watermarkPatients, publishedDashboard = watermarkDashboard, sockets = _clients.Count, missed, duplicated = duplicates, settle };
        await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));
        return result;
    }

    private int[] PerNode() => [.. Enumerable.Range(0, _urls.Length).Select(n => _clients.Count(c => c.Node == n))];

    private Task CheckpointAsync() => CheckpointAsync([], []);

    /// <summary>
    /// Settles to what is published now, then counts what was missed since the last checkpoint (on the clients that
    /// moved with <c>recovered: true</c>, those that moved without, and those that stayed) and the duplicates since then.
    /// </summary>
    private async Task<(MissedBroadcasts Missed, long Duplicates, object Settle)> CheckpointAsync(
        HashSet<MovingPortalClient> moved, HashSet<MovingPortalClient> recovered)
    {
        var (watermarkPatients, watermarkDashboard) = (Volatile.Read(ref _publishedPatients), Volatile.Read(ref _publishedDashboard));
        var settle = await SettleAsync(watermarkPatients, watermarkDashboard);
        var total = new MissedBroadcasts(0, 0, 0);
        long duplicates = 0;
        foreach (var c in _clients)
        {
            var missed = Missed(c, watermarkPatients, watermarkDashboard);
            var since = missed - _missedAtCheckpoint.GetValueOrDefault(c);
            _missedAtCheckpoint[c] = missed;
            total = recovered.Contains(c) ? total with { Recovered = total.Recovered + since }
                : moved.Contains(c) ? total with { NotRecovered = total.NotRecovered + since }
                : total with { Stayed = total.Stayed + since };
            duplicates += c.Patients.Duplicates + c.Dashboard.Duplicates;
        }

        var newDuplicates = duplicates - _duplicatesAtCheckpoint;
        _duplicatesAtCheckpoint = duplicates;
        return (total, newDuplicates, settle);
    }

    /// <summary>Waits until every client holds every broadcast below the watermarks, or nothing arrived for 5 s (at most 2 min).</summary>
    private async Task<object> SettleAsync(long watermarkPatients, long watermarkDashboard)
    {
        var started = Stopwatch.GetTimestamp();
        var lastProgress = started;
        var last = -1L;
        long missing;
        while (true)
        {
            missing = _clients.Sum(c => Missed(c, watermarkPatients, watermarkDashboard));
            if (missing != last)
            {
                last = missing;
                lastProgress = Stopwatch.GetTimestamp();
            }

            if (missing == 0 || Stopwatch.GetElapsedTime(lastProgress) > TimeSpan.FromSeconds(5) || Stopwatch.GetElapsedTime(started) > TimeSpan.FromMinutes(2))
            {
                break;
            }

            await Task.Delay(200);
        }

        return new { seconds = Stopwatch.GetElapsedTime(started).TotalSeconds, missing, watermarkPatients, watermarkDashboard };
    }

    private static long Missed(MovingPortalClient c, long watermarkPatients, long watermarkDashboard) =>
        watermarkPatients - c.Patients.DistinctBelow(watermarkPatients) + watermarkDashboard - c.Dashboard.DistinctBelow(watermarkDashboard);

    private byte[] Patient(long n) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{{\"responseType\":\"created\",\"tenantId\":\"{Tenant}\",\"patient\":{{\"id\":\"{IdPrefix}{n}\",\"tenantId\":\"{Tenant}\",\"firstName\":\"Rolling\",\"lastName\":\"Restart\",\"dateOfBirth\":\"1980-01-01\",\"status\":\"active\",\"sentAt\":{Stopwatch.GetTimestamp()}}}}}"));

    private byte[] Activity(long n) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"{{\"type\":\"activity\",\"tenantId\":\"{Tenant}\",\"activity\":{{\"id\":\"{IdPrefix}{n}\",\"type\":\"patient_added\",\"description\":\"Rolling restart\",\"sentAt\":{Stopwatch.GetTimestamp()}}}}}"));
}
