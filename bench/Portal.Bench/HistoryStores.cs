using System.Text;
using System.Text.Json.Nodes;
using static Portal.Bench.Report;

namespace Portal.Bench;

/// <summary>
/// Issue 11's first table: the portal at its defaults on a JetStream server (history in the stream, path
/// <c>portal</c>) against the same build with <c>HISTORY_STORE=memory</c> (path <c>portal-memory</c>), round by round.
/// </summary>
internal static class HistoryStores
{
    public static void Append(StringBuilder sb, List<JsonObject> fanout)
    {
        var sizes = fanout.Where(f => Find(fanout, "portal-memory", f["sockets"]!.GetValue<int>()) is not null)
            .Select(f => f["sockets"]!.GetValue<int>()).Distinct().ToList();
        if (sizes.Count == 0)
        {
            return;
        }

        sb.AppendLine();
        sb.AppendLine("### History in JetStream (portal, HISTORY_STORE=auto) ÷ in memory (portal-memory, HISTORY_STORE=memory), same nats-server");
        sb.AppendLine();
        sb.AppendLine("| N | round | JetStream flat-out msg/s | memory flat-out msg/s | ratio (≥ 0.9) | fixed-rate msg/s JS / mem | p99 fixed JS / mem ms | p99 flat JS / mem ms | p99 flat ratio | stream consumers / messages (JS · mem) | lost | errors |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var n in sizes)
        {
            double js = 0, memory = 0;
            var ratios = new List<double>();
            for (var round = 1; Find(fanout, "portal", n, round) is { } j && Find(fanout, "portal-memory", n, round) is { } m; round++)
            {
                var (tj, tm) = (D(j, "flatOut.deliveredPerSecond"), D(m, "flatOut.deliveredPerSecond"));
                js += tj;
                memory += tm;
                if (tm > 0)
                {
                    ratios.Add(tj / tm);
                }

                sb.AppendLine(Inv($"| {n} | {round} | {tj:0} | {tm:0} | **{Ratio(tj, tm)}** | {D(j, "fixedRate.deliveredPerSecond"):0} / {D(m, "fixedRate.deliveredPerSecond"):0} | {D(j, "fixedRate.latencyMs.p99"):0.0} / {D(m, "fixedRate.latencyMs.p99"):0.0} | {D(j, "flatOut.latencyMs.p99"):0.0} / {D(m, "flatOut.latencyMs.p99"):0.0} | {Ratio(D(j, "flatOut.latencyMs.p99"), D(m, "flatOut.latencyMs.p99"))} | {D(j, "jetStream.consumers"):0} / {D(j, "jetStream.messages"):0} · {D(m, "jetStream.consumers"):0} / {D(m, "jetStream.messages"):0} | {Lost(j)} / {Lost(m)} | {Errors(j)} / {Errors(m)} |"));
            }

            if (ratios.Count > 1)
            {
                var geometric = Math.Exp(ratios.Average(Math.Log));
                sb.AppendLine(Inv($"| {n} | all {ratios.Count} | {js / ratios.Count:0} (mean) | {memory / ratios.Count:0} (mean) | **{Ratio(js, memory)}** (of the means; geometric mean of the rounds {geometric:0.00}; range {ratios.Min():0.00}–{ratios.Max():0.00}) | | | | | | | |"));
            }
        }
    }

    private static string Lost(JsonObject f) => Inv($"{D(f, "fixedRate.lost") + D(f, "flatOut.lost"):0}");

    private static string Errors(JsonObject f) => Inv($"{D(f, "connect.failed") + D(f, "status.closed") + D(f, "status.errorPushes"):0}");
}
