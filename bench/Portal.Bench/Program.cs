using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Bench;
using Portal.Bench.Shared;

// Orchestrator of issue 5's benchmark: nats-server (TCP + WebSocket + monitoring + JetStream), the demo
// services, then per size and path the server under test and a separate load process; then the round
// trips and issue 11's rolling restart (two portal nodes, RollingRestartPhase). Prints markdown tables
// and writes bench/results/<timestamp>.json. See docs/PERFORMANCE.md and docs/RELIABILITY.md.
var o = BenchOptions.Parse(args);
var limit = FileLimit.Raise();
var root = FindRoot();
var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
var outDir = Path.Combine(root, "bench", "results");
var logDir = Path.Combine(outDir, "logs-" + stamp);
Directory.CreateDirectory(logDir);
string Dll(string project, string dir) => Path.Combine(root, dir, project, "bin", "Release", "net10.0", project + ".dll");
var hostDll = Dll("Portal.Host", "src");
var demoDll = Dll("Portal.DemoServices", "src");
var bareDll = Dll("Portal.Bench.BareHub", "bench");
var loadDll = Dll("Portal.Bench.Load", "bench");
var probeDll = Dll("Portal.Bench.Probe", "bench");
foreach (var dll in new[] { hostDll, demoDll, bareDll, loadDll, probeDll, o.BaselineHost }.OfType<string>())
{
    if (!File.Exists(dll))
    {
        Console.Error.WriteLine($"missing {dll}: build first (bench/run.sh does)");
        return 2;
    }
}

using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
ChildCleanup.OnAnyExit();

var natsPort = Net.FreePort();
var wsPort = Net.FreePort();
var monitorPort = Net.FreePort();
var natsDir = Path.Combine(Path.GetTempPath(), "portal-bench-" + stamp);
Directory.CreateDirectory(natsDir);
var conf = Path.Combine(natsDir, "nats.conf");
// JetStream with its own store dir, as a deployment runs it: the portal's default HISTORY_STORE=auto then keeps
// its replay history in a stream (path portal); path portal-memory sets HISTORY_STORE=memory on the same server.
await File.WriteAllTextAsync(conf, $"listen: 127.0.0.1:{natsPort}\nhttp: 127.0.0.1:{monitorPort}\nwebsocket {{ host: \"127.0.0.1\", port: {wsPort}, no_tls: true }}\njetstream {{ store_dir: \"{Path.Combine(natsDir, "jetstream")}\" }}\n");
var natsBinary = File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server";
var natsUrl = $"nats://127.0.0.1:{natsPort}";
var monitor = $"http://127.0.0.1:{monitorPort}";
var jetStream = new JetStreamStore(natsUrl, monitor, http);

var report = new JsonObject
{
    ["timestamp"] = DateTime.UtcNow.ToString("o"),
    ["machine"] = Machine(),
    ["versions"] = Versions(),
    ["options"] = JsonSerializer.SerializeToNode(o),
    ["openFilesLimit"] = limit.Soft,
};
var fanout = new JsonArray();
var rtt = new JsonArray();
var load = new JsonArray();
var rolls = new JsonArray();
report["fanout"] = fanout;
report["roundTrip"] = rtt;
report["rollingRestart"] = rolls;
report["loadAverage"] = load;

try
{
    Child.Start("nats-server", natsBinary, ["-c", conf], new Dictionary<string, string>(), logDir);
    await Net.WaitHttpAsync(http, monitor + "/varz", TimeSpan.FromSeconds(20));
    Child.Start("demo-services", "dotnet", [demoDll],
        new Dictionary<string, string> { ["NATS_URL"] = natsUrl, ["DEMO_LIVE_INTERVAL_SECONDS"] = "86400" }, logDir);
    await Task.Delay(TimeSpan.FromSeconds(3)); // the demo services log once they answer; a login below proves it

    Sample("start");
    foreach (var n in o.Phases.Contains("fanout") ? o.Sizes : [])
    {
        // A path listed twice runs twice (A B A B), each a round of its own, so a noisy machine favours neither.
        var rounds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var path in o.Paths)
        {
            var round = rounds[path] = rounds.GetValueOrDefault(path) + 1;
            Console.Error.WriteLine($"== fan-out N={n} path={path} round={round}");
            var result = await FanoutAsync(path, n);
            result["round"] = round;
            fanout.Add(result);
            Sample($"after {path} N={n} round {round}");
            await SaveAsync(); // a partial report survives an interrupted run
        }
    }

    foreach (var path in o.Phases.Contains("rtt") ? ["portal", "direct"] : Array.Empty<string>())
    {
        Console.Error.WriteLine($"== round trip path={path}");
        rtt.Add(await RoundTripAsync(path));
        await SaveAsync();
    }

    var rolling = new RollingRestartPhase(new RollSetup(hostDll, ProjectDir(hostDll, "Portal.Host.csproj"), loadDll, natsUrl, logDir, o.Concurrency), http, jetStream);
    foreach (var (n, i) in (o.Phases.Contains("roll") ? o.RollSizes : []).Select((n, i) => (n, i)))
    {
        var rate = o.RollRates[Math.Min(i, o.RollRates.Length - 1)];
        Console.Error.WriteLine($"== rolling restart N={n} rate={rate}/s");
        Sample($"before rolling restart N={n}");
        rolls.Add(await rolling.RunAsync(n, rate, o.RollWaitSeconds));
        Sample($"after rolling restart N={n}");
        await SaveAsync();
    }

    Sample("end");
}
finally
{
    Child.StopAll();
    Directory.Delete(natsDir, recursive: true); // the config and JetStream's store
}

var file = await SaveAsync();
Console.WriteLine(Report.Markdown(report));
Console.WriteLine($"\nJSON: {Path.GetRelativePath(root, file)} · logs: {Path.GetRelativePath(root, logDir)}");
return 0;

async Task<string> SaveAsync()
{
    var path = Path.Combine(outDir, stamp + ".json");
    await File.WriteAllTextAsync(path, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    return path;
}

async Task<JsonObject> FanoutAsync(string path, int n)
{
    var (target, protocol) = path switch
    {
        "portal" or "portal-baseline" or "portal-memory" => ("portal", "json"),
        "portal-msgpack" => ("portal", "messagepack"),
        "bare" => ("bare", "json"),
        "bare-msgpack" => ("bare", "messagepack"),
        _ => ("direct", "json"),
    };
    var result = new JsonObject { ["path"] = path, ["sockets"] = n, ["protocol"] = protocol };
    var portalDll = path == "portal-baseline" ? o.BaselineHost! : hostDll;
    // portal-memory: the one setting it changes, so the history lives in the node's memory on the same JetStream server.
    var history = path == "portal-memory" ? new Dictionary<string, string> { ["HISTORY_STORE"] = "memory" } : null;
    var (server, probePort, url) = await StartServerAsync(target, protocol, $"{path}-{n}-{fanout.Count}", portalDll, history);
    try
    {
        var memoryBefore = probePort > 0 ? await Probe.StatsAsync(probePort) : null;
        var natsBefore = await NatsMemoryAsync();
        using var client = StartLoad(target, url, protocol, $"load-{path}-{n}");
        var connect = await client.CommandAsync($"connect {n}", TimeSpan.FromMinutes(15));
        var held = Stopwatch.StartNew();
        result["connect"] = Node(connect);
        var memoryAfter = probePort > 0 ? await Probe.StatsAsync(probePort) : null;
        var natsAfter = await NatsMemoryAsync();
        result["memory"] = new JsonObject
        {
            ["before"] = Node(memoryBefore),
            ["after"] = Node(memoryAfter),
            ["natsServerRssBefore"] = natsBefore,
            ["natsServerRssAfter"] = natsAfter,
        };
        result["subscriptions"] = await SubscriptionsAsync();
        result["fixedRate"] = Node(await client.CommandAsync($"fanout {o.FixedRate.ToString(CultureInfo.InvariantCulture)} {o.FixedSeconds} 0", TimeSpan.FromMinutes(5)));
        result["jetStreamAfterFixedRate"] = await jetStream.StatsAsync();
        result["flatOut"] = Node(await client.CommandAsync($"fanout 0 {o.FlatSeconds} {o.Window}", TimeSpan.FromMinutes(5)));
        if (n == o.Sizes.Max() && o.HoldSeconds > 0 && held.Elapsed.TotalSeconds < o.HoldSeconds)
        {
            await Task.Delay(TimeSpan.FromSeconds(o.HoldSeconds) - held.Elapsed);
        }

        result["heldSeconds"] = held.Elapsed.TotalSeconds;
        result["status"] = Node(await client.CommandAsync("status", TimeSpan.FromMinutes(1)));
        result["serverAlive"] = server is null || !server.HasExited;
        result["jetStream"] = await jetStream.StatsAsync(); // with the portal still up: its stream and consumers, if any
        await client.CommandAsync("quit", TimeSpan.FromMinutes(1));
    }
    catch (Exception e) when (e is TimeoutException or InvalidOperationException or JsonException)
    {
        result["failure"] = e.Message;
        Console.Error.WriteLine("    FAILED: " + e.Message);
    }
    finally
    {
        server?.Dispose();
        await jetStream.DeleteHistoryStreamAsync(); // the next phase starts on a server that stores nothing
        await Task.Delay(TimeSpan.FromSeconds(2)); // let the kernel reap the sockets
    }

    return result;
}

async Task<JsonObject> RoundTripAsync(string path)
{
    var result = new JsonObject { ["path"] = path };
    var (server, _, url) = await StartServerAsync(path, "json", $"rtt-{path}", hostDll);
    try
    {
        using var client = StartLoad(path, url, "json", $"load-rtt-{path}");
        result["connect"] = Node(await client.CommandAsync($"connect {o.RttCallers.Max()} 0", TimeSpan.FromMinutes(5)));
        var runs = new JsonArray();
        foreach (var callers in o.RttCallers)
        {
            runs.Add(Node(await client.CommandAsync($"rtt {callers} {o.RttSeconds}", TimeSpan.FromMinutes(5))));
        }

        result["runs"] = runs;
        await client.CommandAsync("quit", TimeSpan.FromMinutes(1));
    }
    catch (Exception e) when (e is TimeoutException or InvalidOperationException or JsonException)
    {
        result["failure"] = e.Message;
    }
    finally
    {
        server?.Dispose();
        await jetStream.DeleteHistoryStreamAsync();
    }

    return result;
}

async Task<(Child? Server, int ProbePort, string Url)> StartServerAsync(string target, string protocol, string name, string portalDll, Dictionary<string, string>? phaseEnv = null)
{
    if (target == "direct")
    {
        return (null, 0, $"ws://127.0.0.1:{wsPort}");
    }

    var port = Net.FreePort();
    var probePort = Net.FreePort();
    var env = new Dictionary<string, string>
    {
        ["NATS_URL"] = natsUrl,
        ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
        ["DOTNET_STARTUP_HOOKS"] = probeDll,
        ["BENCH_PROBE_PORT"] = probePort.ToString(CultureInfo.InvariantCulture),
    };
    foreach (var (key, value) in phaseEnv ?? [])
    {
        env[key] = value;
    }

    foreach (var pair in o.ServerEnv)
    {
        var kv = pair.Split('=', 2);
        env[kv[0]] = kv.Length == 2 ? kv[1] : throw new ArgumentException($"--server-env wants KEY=VALUE, got '{pair}'");
    }

    Child server;
    if (target == "portal")
    {
        env["ENV"] = "production";
        env["OUTBOUND_QUEUE_LIMIT"] = "100000";

        // The round trip calls back to back on one socket; the product's per-socket call limit
        // (20/s by default) would measure the limiter, not the bridge.
        env["RATE_LIMIT_CALLS_PER_SECOND"] = "100000";
        env["RATE_LIMIT_CALL_BURST"] = "100000";
        server = Child.Start(name, "dotnet", [portalDll, "--contentRoot", ProjectDir(portalDll, "Portal.Host.csproj")], env, logDir);
        await Net.WaitHttpAsync(http, $"http://127.0.0.1:{port}/readyz", TimeSpan.FromSeconds(60), server);
    }
    else
    {
        env["BARE_PROTOCOL"] = protocol;
        server = Child.Start(name, "dotnet", [bareDll], env, logDir);
        await Net.WaitHttpAsync(http, $"http://127.0.0.1:{port}/readyz", TimeSpan.FromSeconds(60), server);
    }

    await Task.Delay(TimeSpan.FromSeconds(2)); // JIT and NATS subscriptions settle
    return (server, probePort, $"http://127.0.0.1:{port}/hubs/portal");
}

Child StartLoad(string target, string url, string protocol, string name) =>
    Child.Start(name, "dotnet",
        [loadDll, "--target", target, "--url", url, "--nats", natsUrl, "--protocol", protocol, "--concurrency", o.Concurrency.ToString(CultureInfo.InvariantCulture)],
        new Dictionary<string, string>(), logDir, interactive: true);

async Task<JsonNode?> NatsMemoryAsync()
{
    var varz = JsonNode.Parse(await http.GetStringAsync(monitor + "/varz"));
    return varz?["mem"]?.DeepClone();
}

// The real subscription count, from nats-server: per connection, and how many match the patients subject.
async Task<JsonObject> SubscriptionsAsync()
{
    const string patients = "customer.broadcast.patients.tenant-001";
    var connz = JsonNode.Parse(await http.GetStringAsync(monitor + "/connz?subs=1&limit=100000"))!;
    var subsz = JsonNode.Parse(await http.GetStringAsync(monitor + "/subsz"))!;
    var perNode = new JsonObject();
    long matching = 0;
    foreach (var conn in connz["connections"]!.AsArray())
    {
        var subs = conn!["subscriptions_list"]?.AsArray().Select(s => s!.GetValue<string>()).ToList() ?? [];
        matching += subs.Count(s => Subjects.Match(s, patients));
        var name = conn["name"]?.GetValue<string>() ?? "(unnamed)";
        if (name is "htpi-customer-portal" or "bench-bare-hub")
        {
            perNode[name] = new JsonObject { ["subscriptions"] = subs.Count, ["list"] = new JsonArray(subs.Select(s => (JsonNode)s).ToArray()) };
        }
    }

    return new JsonObject
    {
        ["serverTotal"] = subsz["num_subscriptions"]?.DeepClone(),
        ["connections"] = connz["total"]?.DeepClone(),
        ["matchingPatientsSubject"] = matching,
        ["node"] = perNode,
    };
}

void Sample(string when)
{
    var text = File.ReadAllText("/proc/loadavg").Trim();
    load.Add(new JsonObject { ["when"] = when, ["at"] = DateTime.UtcNow.ToString("o"), ["loadavg"] = text });
    Console.Error.WriteLine($"  load average {when}: {text}");
}

static JsonNode? Node(JsonElement? element) => element is { } e ? JsonNode.Parse(e.GetRawText()) : null;

JsonObject Machine()
{
    var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
    var mem = File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim();
    return new JsonObject
    {
        ["cpu"] = cpu,
        ["logicalCores"] = Environment.ProcessorCount,
        ["memory"] = mem,
        ["os"] = RuntimeInformation.OSDescription,
        ["kernel"] = File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
        ["hostname"] = Environment.MachineName,
    };
}

JsonObject Versions()
{
    var props = File.ReadAllText(Path.Combine(root, "Directory.Packages.props"));
    string Prop(string name) => System.Text.RegularExpressions.Regex.Match(props, $"<{name}>([^<]+)</{name}>").Groups[1].Value;
    var nats = Process.Start(new ProcessStartInfo(natsBinary, "--version") { RedirectStandardOutput = true })!;
    var natsVersion = nats.StandardOutput.ReadToEnd().Trim();
    nats.WaitForExit();
    return new JsonObject
    {
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["natsServer"] = natsVersion,
        ["natsNet"] = Prop("NatsVersion"),
        ["akka"] = Prop("AkkaVersion"),
        ["aspNetCore/SignalR"] = Prop("AspNetCoreVersion"),
        ["gitCommit"] = Git("rev-parse --short HEAD", root),
        ["baselineGitCommit"] = o.BaselineHost is { } baseline ? Git("rev-parse --short HEAD", ProjectDir(baseline, "Portal.Host.csproj")) : null,
    };
}

string Git(string arguments, string dir)
{
    try
    {
        var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, WorkingDirectory = dir })!;
        var text = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        return text;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return "";
    }
}

static string FindRoot() => ProjectDir(AppContext.BaseDirectory, "HtpiActors.sln");

// The nearest folder at or above start that holds marker: the repository root, or the project folder
// of a built dll (its content root, where wwwroot is).
static string ProjectDir(string start, string marker)
{
    var dir = new DirectoryInfo(start);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, marker)))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException(marker + " not found above " + start);
}

namespace Portal.Bench
{
    internal sealed record BenchOptions
    {
        public int[] Sizes { get; init; } = [1000, 5000, 10000];
        public string[] Paths { get; init; } = ["portal", "portal-msgpack", "direct", "bare", "bare-msgpack"];
        public double FixedRate { get; init; } = 10;
        public int FixedSeconds { get; init; } = 20;
        public int FlatSeconds { get; init; } = 20;
        public int Window { get; init; } = 8;
        public int HoldSeconds { get; init; } = 60;
        public int[] RttCallers { get; init; } = [1, 64, 512];
        public int RttSeconds { get; init; } = 10;
        public int Concurrency { get; init; } = 200;

        /// <summary>Which parts run: fanout (sizes × paths), rtt (round trips), roll (the rolling restart, issue 11).</summary>
        public string[] Phases { get; init; } = ["fanout", "rtt", "roll"];

        public int[] RollSizes { get; init; } = [1000, 5000];

        /// <summary>Broadcasts per second in all during each rolling restart (the last one repeats), patients and dashboard taking turns.</summary>
        public double[] RollRates { get; init; } = [50];

        /// <summary>How long one move may take before the figures are taken as they stand.</summary>
        public int RollWaitSeconds { get; init; } = 180;

        /// <summary>Extra environment for the servers under test only (e.g. GC settings), never the load process.</summary>
        public string[] ServerEnv { get; init; } = [];

        /// <summary>A second Portal.Host.dll (e.g. the commit before a change), run as path <c>portal-baseline</c> with the portal's settings.</summary>
        public string? BaselineHost { get; init; }

        public static BenchOptions Parse(string[] args)
        {
            var o = new BenchOptions();
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                var v = args[i + 1];
                int[] Ints() => v.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
                int Int() => int.Parse(v, CultureInfo.InvariantCulture);
                o = args[i] switch
                {
                    "--sizes" => o with { Sizes = Ints() },
                    "--paths" => o with { Paths = v.Split(',') },
                    "--fixed-rate" => o with { FixedRate = double.Parse(v, CultureInfo.InvariantCulture) },
                    "--fixed-seconds" => o with { FixedSeconds = Int() },
                    "--flat-seconds" => o with { FlatSeconds = Int() },
                    "--window" => o with { Window = Int() },
                    "--hold-seconds" => o with { HoldSeconds = Int() },
                    "--rtt-callers" => o with { RttCallers = Ints() },
                    "--rtt-seconds" => o with { RttSeconds = Int() },
                    "--concurrency" => o with { Concurrency = Int() },
                    "--phases" => o with { Phases = v.Split(',') },
                    "--roll-sizes" => o with { RollSizes = Ints() },
                    "--roll-rates" => o with { RollRates = v.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray() },
                    "--roll-wait-seconds" => o with { RollWaitSeconds = Int() },
                    "--server-env" => o with { ServerEnv = v.Split(',') },
                    "--baseline-host" => o with { BaselineHost = Path.GetFullPath(v) },
                    _ => throw new ArgumentException("unknown option " + args[i]),
                };
            }

            // The option adds its path; listing portal-baseline in --paths places it, and needs the option.
            if (o.BaselineHost is not null && !o.Paths.Contains("portal-baseline"))
            {
                o = o with { Paths = [.. o.Paths, "portal-baseline"] };
            }

            return o.Paths.Contains("portal-baseline") && o.BaselineHost is null
                ? throw new ArgumentException("path portal-baseline needs --baseline-host <Portal.Host.dll>")
                : o;
        }
    }

    internal static class Subjects
    {
        /// <summary>NATS subject matching with <c>*</c> and <c>&gt;</c>.</summary>
        public static bool Match(string pattern, string subject)
        {
            var p = pattern.Split('.');
            var s = subject.Split('.');
            for (var i = 0; i < p.Length; i++)
            {
                if (p[i] == ">")
                {
                    return s.Length > i;
                }

                if (i >= s.Length || (p[i] != "*" && p[i] != s[i]))
                {
                    return false;
                }
            }

            return p.Length == s.Length;
        }
    }
}
