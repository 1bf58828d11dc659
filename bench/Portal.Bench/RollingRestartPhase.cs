using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Bench;

/// <summary>Where the rolling restart's processes come from.</summary>
internal sealed record RollSetup(string HostDll, string ContentRoot, string LoadDll, string NatsUrl, string LogDir, int Concurrency);

/// <summary>
/// A rolling restart as Kubernetes does one, on one machine: two portal nodes as separate processes on one
/// JetStream nats-server, N sockets spread over both (each logged in, tenant selected, patients and dashboard
/// subscribed), numbered broadcasts at a fixed rate throughout. SIGTERM node 0: its sockets are told
/// <c>connection:status {draining: true}</c> and resume on node 1; node 0 comes back (a new process on the same
/// port); SIGTERM node 1: every socket moves to node 0. The load process counts who came back, how, how fast,
/// what was missed or doubled, and what the services were asked meanwhile.
/// Nodes run the product's defaults (HISTORY_STORE=auto, so JetStream; DRAIN_TIMEOUT_SECONDS=25;
/// OUTBOUND_QUEUE_LIMIT=1024; the per-socket call limits) with ENV=production, as the Helm chart sets it.
/// </summary>
internal sealed class RollingRestartPhase(RollSetup setup, HttpClient http, JetStreamStore jetStream)
{
    public async Task<JsonObject> RunAsync(int sockets, double rate, double waitSeconds)
    {
        var result = new JsonObject { ["sockets"] = sockets, ["rate"] = rate, ["historyStreamDeletedBefore"] = await jetStream.DeleteHistoryStreamAsync() };
        var ports = new[] { Net.FreePort(), Net.FreePort() };
        var nodes = new Child?[2];
        Child? load = null;
        try
        {
            nodes[0] = await StartNodeAsync($"roll-{sockets}-node0-a", ports[0]);
            nodes[1] = await StartNodeAsync($"roll-{sockets}-node1-a", ports[1]);
            load = Child.Start($"load-roll-{sockets}", "dotnet",
                [setup.LoadDll, "--target", "portal", "--url", $"{Hub(ports[0])},{Hub(ports[1])}", "--nats", setup.NatsUrl,
                 "--concurrency", setup.Concurrency.ToString(CultureInfo.InvariantCulture)],
                new Dictionary<string, string>(), setup.LogDir, interactive: true);
            result["connect"] = Node(await load.CommandAsync($"roll-connect {sockets}", TimeSpan.FromMinutes(15)));
            result["publish"] = Node(await load.CommandAsync($"roll-publish {rate.ToString(CultureInfo.InvariantCulture)}", TimeSpan.FromMinutes(1)));
            await Task.Delay(TimeSpan.FromSeconds(5)); // live broadcasts flowing on both nodes before the first move

            var moves = new JsonArray();
            result["moves"] = moves;
            foreach (var node in new[] { 0, 1 })
            {
                moves.Add(await MoveAsync(load, nodes, node, waitSeconds));
                if (node == 0)
                {
                    // The pod comes back: a new process on the same port; the load balancer sends new sockets to it again.
                    (nodes[0], var port) = await RestartAsync($"roll-{sockets}-node0-b", ports[0]);
                    if (port != ports[0])
                    {
                        ports[0] = port;
                        await load.CommandAsync($"roll-node 0 {Hub(port)}", TimeSpan.FromMinutes(1));
                    }

                    await Task.Delay(TimeSpan.FromSeconds(5)); // its topics follow the stream again before the next move
                }
            }

            result["end"] = Node(await load.CommandAsync("roll-stop", TimeSpan.FromMinutes(5)));
            result["jetStream"] = await jetStream.StatsAsync();
            await load.CommandAsync("quit", TimeSpan.FromMinutes(1));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or JsonException)
        {
            result["failure"] = e.Message;
            Console.Error.WriteLine("    FAILED: " + e.Message);
        }
        finally
        {
            load?.Dispose();
            foreach (var node in nodes)
            {
                node?.Dispose();
            }

            await jetStream.DeleteHistoryStreamAsync();
            await Task.Delay(TimeSpan.FromSeconds(2)); // let the kernel reap the sockets
        }

        return result;
    }

    private async Task<JsonObject> MoveAsync(Child load, Child?[] nodes, int node, double waitSeconds)
    {
        var stopping = nodes[node]!;
        var move = new JsonObject { ["node"] = node, ["mark"] = Node(await load.CommandAsync($"roll-move {node}", TimeSpan.FromMinutes(3))) };
        var signalledAt = Stopwatch.GetTimestamp();
        stopping.Terminate();
        var exited = stopping.WaitForExitAsync(TimeSpan.FromMinutes(2));
        move["load"] = Node(await load.CommandAsync(
            $"roll-wait {node} {waitSeconds.ToString(CultureInfo.InvariantCulture)} {signalledAt.ToString(CultureInfo.InvariantCulture)}",
            TimeSpan.FromSeconds(waitSeconds) + TimeSpan.FromMinutes(4)));
        var exitCode = await exited;
        move["exitCode"] = exitCode;
        move["exitedSecondsAfterSignal"] = exitCode is null ? null : Stopwatch.GetElapsedTime(signalledAt).TotalSeconds;
        move["drainLog"] = new JsonArray([.. DrainLines(stopping.LogPath).Select(l => (JsonNode)l)]);
        move["jetStreamAfter"] = await jetStream.StatsAsync();
        stopping.Dispose();
        return move;
    }

    private async Task<(Child Node, int Port)> RestartAsync(string name, int port)
    {
        try
        {
            return (await StartNodeAsync(name, port), port);
        }
        catch (InvalidOperationException)
        {
            // The port was taken meanwhile (the old process's sockets, another process): a new one, as a pod gets a new IP.
            var other = Net.FreePort();
            return (await StartNodeAsync(name + "-newport", other), other);
        }
    }

    private async Task<Child> StartNodeAsync(string name, int port)
    {
        var env = new Dictionary<string, string>
        {
            ["NATS_URL"] = setup.NatsUrl,
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["ENV"] = "production", // as the Helm chart sets it; every other setting is the product's default
        };
        var node = Child.Start(name, "dotnet", [setup.HostDll, "--contentRoot", setup.ContentRoot], env, setup.LogDir);
        await Net.WaitHttpAsync(http, $"http://127.0.0.1:{port}/readyz", TimeSpan.FromSeconds(60), node);
        return node;
    }

    private static string Hub(int port) => $"http://127.0.0.1:{port}/hubs/portal";

    /// <summary>The node's own account of its drain, from its compact JSON log: the message templates filled in.</summary>
    private static IEnumerable<string> DrainLines(string logPath)
    {
        if (!File.Exists(logPath))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(logPath))
        {
            if (!line.Contains("Drain", StringComparison.Ordinal) && !line.Contains("SIGTERM", StringComparison.Ordinal))
            {
                continue;
            }

            var entry = ParseOrNull(line);
            if (entry is null)
            {
                yield return line;
                continue;
            }

            var at = entry["@t"]?.GetValue<string>() ?? "";
            if (entry["@m"]?.GetValue<string>() is { } message)
            {
                yield return at + " " + message;
                continue;
            }

            var template = entry["@mt"]?.GetValue<string>() ?? line;
            yield return at + " " + System.Text.RegularExpressions.Regex.Replace(template, @"\{([A-Za-z]+)(:[^}]*)?\}",
                m => entry[m.Groups[1].Value]?.ToJsonString().Trim('"') ?? m.Value);
        }
    }

    private static JsonNode? ParseOrNull(string line)
    {
        try
        {
            return JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonNode? Node(JsonElement element) => JsonNode.Parse(element.GetRawText());
}
