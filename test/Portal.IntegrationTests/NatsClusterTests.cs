using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using Portal.DemoServices;
using Portal.Host.Standalone;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>NATS_URL lists a 3-node nats-server cluster; the node the portal uses is killed and it fails over.</summary>
public sealed class NatsClusterTests
{
    [Fact]
    public async Task Cluster_TheNodeThePortalUsesIsKilled_ThePortalFailsOverAndKeepsDelivering()
    {
        var clientPorts = Enumerable.Range(0, 3).Select(_ => LocalNatsServer.FreePort()).ToArray();
        var routePorts = Enumerable.Range(0, 3).Select(_ => LocalNatsServer.FreePort()).ToArray();
        var nodes = Enumerable.Range(0, 3).Select(i => LocalNatsServer.Start(
            NullLogger.Instance,
            port: clientPorts[i],
            monitor: true,
            extraArguments:
            [
                "--cluster_name", "htpi-test", "--cluster", $"nats://127.0.0.1:{routePorts[i]}",
                "--routes", string.Join(",", routePorts.Where((_, j) => j != i).Select(p => $"nats://127.0.0.1:{p}")),
            ])).ToList();
        var urls = string.Join(",", nodes.Select(n => n.Url));
        IHost? demo = null;
        PortalFactory? portal = null;
        try
        {
            await Eventually.HoldsAsync(async () => (await Task.WhenAll(nodes.Select(NatsMonitor.RoutesAsync))).All(r => r == 2));
            demo = new HostBuilder().ConfigureServices(s => s.AddLogging().AddHtpiDemoServices(urls, TimeSpan.FromHours(1))).Build();
            await demo.StartAsync();
            portal = new PortalFactory(urls);
            portal.StartServer();
            await using var client = await PortalClient.ConnectAsync(portal.Address);
            await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
            await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
            await client.CallAsync("patients:subscribe");
            await client.NextAsync(EventNames.PatientsListed);

            // The node holding the portal's connection is the one with its per-socket reply subscription.
            var portalNode = nodes[Array.IndexOf(await Task.WhenAll(nodes.Select(n => HoldsReplySubscription(n))), true)];
            portalNode.Kill();
            await client.NextAsync(EventNames.ConnectionStatus, p => p.Payload.GetProperty("nats").GetString() == "degraded");
            await client.NextAsync(EventNames.ConnectionStatus, p => p.Payload.GetProperty("nats").GetString() == "ok", TimeSpan.FromSeconds(20));
            await client.NextAsync(EventNames.PatientsListed, timeout: TimeSpan.FromSeconds(20));

            var survivor = nodes.First(n => n != portalNode);
            await using var publisher = new NatsConnection(NatsOpts.Default with { Url = survivor.Url });
            await publisher.PublishAsync("customer.broadcast.patients.tenant-001", Encoding.UTF8.GetBytes(
                """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-after-failover"}}"""));
            await client.NextAsync(EventNames.PatientsNew, p => p.Payload.GetProperty("id").GetString() == "p-after-failover");
        }
        finally
        {
            if (portal is not null)
            {
                await portal.DisposeAsync();
            }

            if (demo is not null)
            {
                await demo.StopAsync();
                demo.Dispose();
            }

            nodes.ForEach(n => n.Dispose());
        }
    }

    private static async Task<bool> HoldsReplySubscription(LocalNatsServer node)
    {
        using var http = new HttpClient { BaseAddress = node.MonitorUrl };
        using var connz = JsonDocument.Parse(await http.GetStringAsync("connz?subs=1"));
        return connz.RootElement.GetProperty("connections").EnumerateArray()
            .Any(c => c.TryGetProperty("subscriptions_list", out var subs) && subs.EnumerateArray().Any(s => s.GetString() == Subjects.AuthResponseWildcard));
    }
}
