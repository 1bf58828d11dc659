using System.Text;
using System.Text.Json.Nodes;
using static Portal.Bench.Report;

namespace Portal.Bench;

/// <summary>Issue 11's second table: the rolling restart, one row per move (SIGTERM node 0, then node 1).</summary>
internal static class RollingRestarts
{
    public static void Append(StringBuilder sb, List<JsonObject> rolls)
    {
        if (rolls.Count == 0)
        {
            return;
        }

        sb.AppendLine();
        sb.AppendLine("### Rolling restart (2 nodes on one JetStream nats-server; SIGTERM node 0, it comes back, SIGTERM node 1; product defaults, ENV=production)");
        sb.AppendLine();
        sb.AppendLine("| N | rate /s | SIGTERM | sockets on it | told draining | resumed (tenant back) | recovered: true | recovered: false | not back | missed (recovered · not · stayed) | duplicated | snapshot requests | service requests per moved socket | resume p50 / p99 / max ms | live again p50 / p99 ms | move s (last resume) | node exit s (code) | live push p99 ms (replay excluded) |");
        sb.AppendLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rolls)
        {
            foreach (var move in r["moves"]?.AsArray() ?? [])
            {
                var l = move!["load"];
                sb.AppendLine(Inv($"| {r["sockets"]} | {D(r, "rate"):0} | node {move["node"]} | {D(l, "sockets"):0} | {D(l, "told"):0} | {D(l, "resumed"):0} ({D(l, "resumedWithTenant"):0}) | {D(l, "recoveredTrue"):0} | {D(l, "recoveredFalse"):0} | {D(l, "notBack"):0} | {D(l, "missedOnRecovered"):0} · {D(l, "missedOnNotRecovered"):0} · {D(l, "missedOnSocketsThatStayed"):0} | {D(l, "duplicated"):0} | {D(l, "snapshotRequests"):0} | {D(l, "serviceRequestsPerMovedSocket"):0.00} | {D(l, "resumeMs.p50"):0} / {D(l, "resumeMs.p99"):0} / {D(l, "resumeMs.max"):0} | {D(l, "liveAgainMs.p50"):0} / {D(l, "liveAgainMs.p99"):0} | {D(l, "moveSeconds"):0.0} | {D(move, "exitedSecondsAfterSignal"):0.0} ({move["exitCode"]?.ToJsonString() ?? "still running"}) | {D(l, "liveLatencyMs.p99"):0} |"));
            }

            sb.AppendLine();
            sb.AppendLine(Inv($"N = {r["sockets"]}: connect {D(r, "connect.seconds"):0.0} s ({D(r, "connect.ok"):0} ok, {D(r, "connect.failed"):0} failed); whole run {D(r, "end.publishedPatients") + D(r, "end.publishedDashboard"):0} broadcasts, {D(r, "end.missed"):0} missed and {D(r, "end.duplicated"):0} duplicated over all sockets{(r["failure"] is { } failure ? $"; FAILED: {failure}" : "")}."));
            foreach (var move in r["moves"]?.AsArray() ?? [])
            {
                var l = move!["load"];
                var asked = l?["serviceRequests"]?.AsObject().Select(kv => $"{kv.Key} {kv.Value}") ?? [];
                sb.AppendLine(Inv($"- node {move["node"]}: first / last told {D(l, "firstToldMs"):0} / {D(l, "lastToldMs"):0} ms after SIGTERM; told → new socket connected p50 / p99 {D(l, "connectedMs.p50"):0} / {D(l, "connectedMs.p99"):0} ms; reconnect attempts {D(l, "reconnectAttempts"):0}; closed without being told {D(l, "closedWithoutBeingTold"):0}; replayed pushes {D(l, "replayedPushes"):0}, snapshot pushes {D(l, "snapshotPushes"):0}; error pushes {D(l, "errorPushes"):0}; asked: {string.Join(", ", asked)}{(l?["firstFailure"] is { } f ? $"; first failure: {f}" : "")}"));
                foreach (var line in move["drainLog"]?.AsArray() ?? [])
                {
                    sb.AppendLine(Inv($"  - log: {line}"));
                }
            }

            sb.AppendLine();
        }
    }
}
