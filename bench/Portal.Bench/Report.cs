using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Portal.Bench;

/// <summary>Turns the JSON report into the markdown tables printed at the end of a run.</summary>
internal static class Report
{
    public static string Markdown(JsonObject report)
    {
        var sb = new StringBuilder();
        var machine = report["machine"]!;
        var versions = report["versions"]!;
        sb.AppendLine(Inv($"## Portal benchmark {report["timestamp"]}"));
        sb.AppendLine(Inv($"{machine["cpu"]} · {machine["logicalCores"]} cores · {machine["memory"]} · {machine["os"]} · {versions["dotnet"]} · {versions["natsServer"]} · NATS.Net {versions["natsNet"]} · Akka {versions["akka"]} · ASP.NET Core {versions["aspNetCore/SignalR"]} · commit {versions["gitCommit"]}{(versions["baselineGitCommit"] is { } baselineCommit ? $" · baseline commit {baselineCommit}" : "")}"));
        sb.AppendLine();

        var fanout = report["fanout"]!.AsArray().Select(f => f!.AsObject()).ToList();
        var rtts = report["roundTrip"]!.AsArray().Select(r => r!.AsObject()).ToList();
        if (fanout.Count > 0)
        {
            AppendFanout(sb, fanout);
        }

        if (rtts.Count > 0)
        {
            AppendRoundTrips(sb, rtts);
        }

        RollingRestarts.Append(sb, report["rollingRestart"]?.AsArray().Select(r => r!.AsObject()).ToList() ?? []);

        sb.AppendLine();
        sb.AppendLine("Load average samples: " + string.Join(" · ", report["loadAverage"]!.AsArray().Select(l => $"{l!["when"]}: {l["loadavg"]}")));
        return sb.ToString();
    }

    private static void AppendFanout(StringBuilder sb, List<JsonObject> fanout)
    {
        sb.AppendLine("### Fan-out (one tenant, patients broadcast; latency = publisher timestamp → client handler)");
        sb.AppendLine();
        sb.AppendLine("| N | path | connect s | fixed msg/s | p50 ms | p99 ms | max ms | flat-out msg/s | p50 ms | p99 ms | max ms | lost | errors |");
        sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in fanout)
        {
            sb.AppendLine(Inv($"| {f["sockets"]} | {Label(fanout, f)} | {D(f, "connect.seconds"):0.0} | {D(f, "fixedRate.deliveredPerSecond"):0} | {D(f, "fixedRate.latencyMs.p50"):0.0} | {D(f, "fixedRate.latencyMs.p99"):0.0} | {D(f, "fixedRate.latencyMs.max"):0} | {D(f, "flatOut.deliveredPerSecond"):0} | {D(f, "flatOut.latencyMs.p50"):0.0} | {D(f, "flatOut.latencyMs.p99"):0.0} | {D(f, "flatOut.latencyMs.max"):0} | {D(f, "fixedRate.lost") + D(f, "flatOut.lost"):0} | {Errors(f)} |"));
        }

        sb.AppendLine();
        sb.AppendLine("### Ratios (portal path ÷ baseline; throughput from flat-out, p99 from fixed rate and flat-out)");
        sb.AppendLine();
        sb.AppendLine("| N | path | baseline | throughput ratio (target) | p99 ratio fixed | p99 ratio flat-out (target) |");
        sb.AppendLine("|---:|---|---|---:|---:|---:|");
        foreach (var n in fanout.Select(f => f["sockets"]!.GetValue<int>()).Distinct())
        {
            foreach (var (path, baseline, thr) in RatioPairs)
            {
                // Round r of a path against round r of its baseline: runs close in time share the machine's mood.
                for (var round = 1; Find(fanout, path, n, round) is { } p && Find(fanout, baseline, n, round) is { } b; round++)
                {
                    var p99Target = baseline == "direct" ? " (≤ 2)" : "";
                    sb.AppendLine(Inv($"| {n} | {Label(fanout, p)} | {Label(fanout, b)} | {Ratio(D(p, "flatOut.deliveredPerSecond"), D(b, "flatOut.deliveredPerSecond"))} ({thr}) | {Ratio(D(p, "fixedRate.latencyMs.p99"), D(b, "fixedRate.latencyMs.p99"))} | {Ratio(D(p, "flatOut.latencyMs.p99"), D(b, "flatOut.latencyMs.p99"))}{p99Target} |"));
                }
            }
        }

        HistoryStores.Append(sb, fanout);

        sb.AppendLine();
        sb.AppendLine("### Memory per logged-in socket with two subscriptions (after forced full GC) and NATS subscriptions");
        sb.AppendLine();
        sb.AppendLine("| N | path | working set before → after MiB | KiB/socket (working set) | KiB/socket (managed heap) | actors under /user | actors/socket | NATS subs of the node | subs matching the patients subject (server-wide) | nats-server KiB/socket |");
        sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in fanout)
        {
            var n = D(f, "sockets");
            var actorsPer = (D(f, "memory.after.actors") - D(f, "memory.before.actors")) / n;
            var wsBefore = D(f, "memory.before.workingSetBytes");
            var wsAfter = D(f, "memory.after.workingSetBytes");
            var heapPer = (D(f, "memory.after.heapBytes") - D(f, "memory.before.heapBytes")) / n / 1024;
            var natsPer = (D(f, "memory.natsServerRssAfter") - D(f, "memory.natsServerRssBefore")) / n / 1024;
            var node = f["subscriptions"]?["node"]?.AsObject().Select(kv => kv.Value?["subscriptions"]?.GetValue<int>() ?? 0).Sum();
            var isDirect = f["path"]!.GetValue<string>() == "direct";
            sb.AppendLine(Inv($"| {n} | {Label(fanout, f)} | {(isDirect ? "–" : $"{wsBefore / 1048576:0} → {wsAfter / 1048576:0}")} | {(isDirect ? "–" : $"{(wsAfter - wsBefore) / n / 1024:0.0}")} | {(isDirect ? "–" : $"{heapPer:0.0}")} | {(isDirect ? "–" : D(f, "memory.after.actors").ToString("0", CultureInfo.InvariantCulture))} | {(isDirect ? "–" : actorsPer.ToString("0.00", CultureInfo.InvariantCulture))} | {(isDirect ? "–" : node?.ToString(CultureInfo.InvariantCulture))} | {D(f, "subscriptions.matchingPatientsSubject"):0} | {natsPer:0.0} |"));
        }

        sb.AppendLine();
        sb.AppendLine("### Connect storm (connect, log in, select tenant, subscribe twice; 200 in flight)");
        sb.AppendLine();
        sb.AppendLine("| N | path | seconds | sockets/s | failed |");
        sb.AppendLine("|---:|---|---:|---:|---:|");
        foreach (var f in fanout)
        {
            sb.AppendLine(Inv($"| {f["sockets"]} | {Label(fanout, f)} | {D(f, "connect.seconds"):0.0} | {D(f, "connect.perSecond"):0} | {D(f, "connect.failed"):0} |"));
        }

    }

    private static void AppendRoundTrips(StringBuilder sb, List<JsonObject> rtts)
    {
        sb.AppendLine();
        sb.AppendLine("### Request round trip: `patients:view` through the portal vs `htpi.patient.get` straight to NATS (WebSocket)");
        sb.AppendLine();
        sb.AppendLine("| callers | portal p50 ms | portal p99 ms | portal calls/s | direct p50 ms | direct p99 ms | direct calls/s | failed (portal/direct) |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        var portalRuns = rtts.FirstOrDefault(r => r["path"]!.GetValue<string>() == "portal")?["runs"]?.AsArray();
        var directRuns = rtts.FirstOrDefault(r => r["path"]!.GetValue<string>() == "direct")?["runs"]?.AsArray();
        for (var i = 0; i < Math.Max(portalRuns?.Count ?? 0, directRuns?.Count ?? 0); i++)
        {
            var p = portalRuns?.ElementAtOrDefault(i);
            var d = directRuns?.ElementAtOrDefault(i);
            sb.AppendLine(Inv($"| {p?["callers"] ?? d?["callers"]} | {D(p, "latencyMs.p50"):0.00} | {D(p, "latencyMs.p99"):0.00} | {D(p, "perSecond"):0} | {D(d, "latencyMs.p50"):0.00} | {D(d, "latencyMs.p99"):0.00} | {D(d, "perSecond"):0} | {D(p, "failed"):0}/{D(d, "failed"):0} |"));
        }

    }

    /// <summary>Each portal path against the baselines (issue 5's targets); MessagePack also against the portal's JSON, the portal against its baseline build.</summary>
    private static readonly (string Path, string Baseline, string Target)[] RatioPairs =
    [
        ("portal", "direct", "≥ 0.7"), ("portal", "bare", "≥ 0.9"), ("portal", "bare-msgpack", "–"),
        ("portal-msgpack", "direct", "≥ 0.7"), ("portal-msgpack", "bare-msgpack", "≥ 0.9"), ("portal-msgpack", "portal", "–"),
        ("portal", "portal-baseline", "–"), ("portal", "portal-memory", "≥ 0.9"),
    ];

    public static JsonObject? Find(List<JsonObject> fanout, string path, int n, int round = 1) =>
        fanout.FirstOrDefault(f => f["path"]!.GetValue<string>() == path && f["sockets"]!.GetValue<int>() == n && Round(f) == round);

    public static int Round(JsonObject f) => f["round"]?.GetValue<int>() ?? 1;

    /// <summary>The path, with its round when that path ran more than once at that size.</summary>
    public static string Label(List<JsonObject> fanout, JsonObject f)
    {
        var path = f["path"]!.GetValue<string>();
        var repeated = Find(fanout, path, f["sockets"]!.GetValue<int>(), 2) is not null;
        return repeated ? Inv($"{path} #{Round(f)}") : path;
    }

    private static string Errors(JsonObject f)
    {
        var errors = D(f, "connect.failed") + D(f, "status.closed") + D(f, "status.errorPushes");
        var text = errors.ToString("0", CultureInfo.InvariantCulture);
        return f["failure"] is { } failure ? text + " (" + failure + ")" : text;
    }

    public static string Ratio(double a, double b) => b > 0 ? (a / b).ToString("0.00", CultureInfo.InvariantCulture) : "–";

    /// <summary>A number at a dotted path, 0 when absent.</summary>
    public static double D(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
        }

        return node is JsonValue v && double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
    }

    public static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
