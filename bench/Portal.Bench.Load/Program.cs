using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NATS.Client.Core;
using Portal.Bench.Load;
using Portal.Bench.Shared;

// The load process: holds N simulated browsers (portal, bare hub or direct NATS WebSocket) and the
// broadcast publisher, so publisher and receivers share one clock (Stopwatch timestamps).
// Driven line by line on stdin by the orchestrator; every answer is one "RESULT {json}" line.
//   connect N [subscribe=1]   · fanout RATE SECONDS WINDOW (RATE 0 = flat out, WINDOW messages in flight per socket)
//   rtt CALLERS SECONDS       · status · quit
// The rolling restart (--url lists both nodes, comma-separated; see RollingRestartLoad):
//   roll-connect N · roll-publish RATE · roll-move NODE · roll-wait NODE SECONDS SIGNALLED_AT · roll-node NODE URL · roll-stop
var options = ParseArgs(args);
ThreadPool.SetMinThreads(Math.Max(16, Environment.ProcessorCount * 8), Math.Max(16, Environment.ProcessorCount * 8));
FileLimit.Raise();

var stats = new BenchStats();
var clients = new List<IBenchClient>();
await using var publisher = new NatsConnection(new NatsOpts { Url = options.NatsUrl, Name = "bench-publisher" });
await publisher.ConnectAsync();
DirectCredentials? credentials = options.Target == "direct" ? await DirectLoginAsync(publisher) : null;
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
RollingRestartLoad? roll = null;

while (Console.ReadLine() is { } line)
{
    var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (words.Length == 0)
    {
        continue;
    }

    object result;
    try
    {
        result = words[0] switch
        {
            "connect" => await ConnectAsync(int.Parse(words[1], CultureInfo.InvariantCulture), words.Length < 3 || words[2] != "0"),
            "fanout" => await FanoutAsync(double.Parse(words[1], CultureInfo.InvariantCulture), double.Parse(words[2], CultureInfo.InvariantCulture), int.Parse(words[3], CultureInfo.InvariantCulture)),
            "rtt" => await RoundTripAsync(int.Parse(words[1], CultureInfo.InvariantCulture), double.Parse(words[2], CultureInfo.InvariantCulture)),
            "status" => Status(),
            "roll-connect" => await (await Roll()).ConnectAsync(Int(words[1])),
            "roll-publish" => (await Roll()).StartPublishing(double.Parse(words[1], CultureInfo.InvariantCulture)),
            "roll-move" => await (await Roll()).MarkMoveAsync(Int(words[1])),
            "roll-wait" => await (await Roll()).WaitMoveAsync(Int(words[1]), double.Parse(words[2], CultureInfo.InvariantCulture), long.Parse(words[3], CultureInfo.InvariantCulture)),
            "roll-node" => (await Roll()).SetNode(Int(words[1]), words[2]),
            "roll-stop" => await (await Roll()).StopAsync(),
            "quit" => new { quit = true },
            _ => new { error = "unknown command " + words[0] },
        };
    }
    catch (Exception e)
    {
        result = new { error = e.GetType().Name + ": " + e.Message };
    }

    Console.Out.WriteLine("RESULT " + JsonSerializer.Serialize(result, json));
    Console.Out.Flush();
    if (words[0] == "quit")
    {
        // The orchestrator tears the server down next; closing 10k sockets politely only costs time.
        Environment.Exit(0);
    }
}

return 0;

static int Int(string word) => int.Parse(word, CultureInfo.InvariantCulture);

async Task<RollingRestartLoad> Roll() =>
    roll ??= new RollingRestartLoad(options, publisher, await ServiceRequestCounter.StartAsync(options.NatsUrl));

object Status() => new { clients = clients.Count, closed = stats.Closed, errorPushes = stats.ErrorPushes };

async Task<object> ConnectAsync(int count, bool subscribe)
{
    var started = Stopwatch.GetTimestamp();
    var made = new IBenchClient[count];
    var failures = 0;
    string? firstError = null;
    using var gate = new SemaphoreSlim(options.Concurrency);
    var tasks = Enumerable.Range(0, count).Select(async i =>
    {
        await gate.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var client = ClientFactory.Create(options, stats, clients.Count + i, credentials);
            await client.SetupAsync(subscribe, timeout.Token);
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
    }).ToArray();
    await Task.WhenAll(tasks);
    var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
    clients.AddRange(made.Where(c => c is not null));
    return new { ok = count - failures, failed = failures, seconds, perSecond = (count - failures) / seconds, firstError, total = clients.Count };
}

async Task<object> FanoutAsync(double rate, double seconds, int window)
{
    var sockets = clients.Count;
    var subject = "customer.broadcast.patients." + options.Tenant;
    var closedBefore = stats.Closed;
    var errorsBefore = stats.ErrorPushes;
    var start = Stopwatch.GetTimestamp();
    stats.StartPhase(start);
    long published = 0;
    var duration = TimeSpan.FromSeconds(seconds);
    while (Stopwatch.GetElapsedTime(start) < duration)
    {
        if (rate > 0)
        {
            var due = TimeSpan.FromSeconds(published / rate) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }
        else if ((published * sockets) - stats.Delivered >= (long)window * sockets)
        {
            // Flat out but bounded: never more than WINDOW broadcasts in flight per socket on average.
            await Task.Delay(1);
            continue;
        }

        await publisher.PublishAsync(subject, Envelope(published, options.Tenant));
        published++;
    }

    var publishSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    var expected = published * sockets;
    var lastProgress = Stopwatch.GetTimestamp();
    var seen = stats.Delivered;
    while (stats.Delivered < expected && Stopwatch.GetElapsedTime(lastProgress) < TimeSpan.FromSeconds(10))
    {
        await Task.Delay(50);
        if (stats.Delivered != seen)
        {
            seen = stats.Delivered;
            lastProgress = Stopwatch.GetTimestamp();
        }
    }

    var delivered = stats.Delivered;
    var activeSeconds = (double)(stats.LastDelivery - start) / Stopwatch.Frequency;
    return new
    {
        sockets,
        rate,
        window,
        published,
        publishSeconds,
        publishedPerSecond = published / publishSeconds,
        expected,
        delivered,
        lost = expected - delivered,
        seconds = activeSeconds,
        deliveredPerSecond = activeSeconds > 0 ? delivered / activeSeconds : 0,
        latencyMs = stats.Latency.Summary(),
        closed = stats.Closed - closedBefore,
        errorPushes = stats.ErrorPushes - errorsBefore,
        stale = stats.Stale,
    };
}

async Task<object> RoundTripAsync(int callers, double seconds)
{
    var histogram = new LatencyHistogram();
    long failed = 0;
    var callersUsed = Math.Min(callers, clients.Count);
    var start = Stopwatch.GetTimestamp();
    var duration = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(clients.Take(callersUsed).Select(async client =>
    {
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                if (!await client.ViewAsync(timeout.Token))
                {
                    Interlocked.Increment(ref failed);
                    continue;
                }
            }
            catch (Exception e) when (e is OperationCanceledException or NatsException or InvalidOperationException)
            {
                Interlocked.Increment(ref failed);
                continue;
            }

            histogram.Record((long)Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
        }
    }));
    var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
    return new { callers = callersUsed, calls = histogram.Count, failed, seconds = elapsed, perSecond = histogram.Count / elapsed, latencyMs = histogram.Summary() };
}

static byte[] Envelope(long number, string tenant) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
    $"{{\"responseType\":\"created\",\"tenantId\":\"{tenant}\",\"patient\":{{\"id\":\"bench-{number}\",\"tenantId\":\"{tenant}\",\"firstName\":\"Bench\",\"lastName\":\"Patient\",\"dateOfBirth\":\"1980-01-01\",\"status\":\"active\",\"sentAt\":{Stopwatch.GetTimestamp()}}}}}"));

// The browser-direct baseline needs a token like a browser would have: log in the way the portal does.
static async Task<DirectCredentials> DirectLoginAsync(NatsConnection nats)
{
    const string clientId = "benchdirect";
    await using var sub = await nats.SubscribeCoreAsync<byte[]>("customer.auth.response." + clientId);
    var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { email = "demo@htpi.com", password = "demo123", portal = "customer", clientId, requestId = "bench", timestamp = DateTimeOffset.UtcNow }));
    await nats.PublishAsync("htpi.auth.login", body);
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
    var reply = await sub.Msgs.ReadAsync(timeout.Token);
    using var document = JsonDocument.Parse(reply.Data ?? []);
    var root = document.RootElement;
    return new DirectCredentials(root.GetProperty("token").GetString()!, root.GetProperty("user").GetProperty("id").GetString()!);
}

static LoadOptions ParseArgs(string[] args)
{
    string Get(string name, string fallback)
    {
        var i = Array.IndexOf(args, "--" + name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    return new LoadOptions(Get("target", "portal"), Get("url", "http://127.0.0.1:5000/hubs/portal"), Get("nats", "nats://127.0.0.1:4222"),
        Get("protocol", "json"), Get("tenant", "tenant-001"), int.Parse(Get("concurrency", "200"), CultureInfo.InvariantCulture));
}
