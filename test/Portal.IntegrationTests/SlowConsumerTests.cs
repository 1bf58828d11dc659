using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.Host.Browser;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>A browser that stops reading must not hold server memory or slow its neighbours down.</summary>
public sealed class SlowConsumerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task SlowConsumer_StopsReading_IsToldAndClosedWhileItsNeighbourKeepsReceiving()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true, new Dictionary<string, string> { ["OUTBOUND_QUEUE_LIMIT"] = "64" });
        await using var neighbour = await LoggedInOnMercy(portal);
        await neighbour.CallAsync("patients:subscribe");
        await neighbour.NextAsync(EventNames.PatientsListed);

        // The slow browser logs in and subscribes, then stops reading its socket altogether.
        await using var slow = await RawHubSocket.ConnectAsync(portal.Portal.Address);
        await slow.SendAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
        await slow.NextInvocationAsync("auth:login:response");
        await slow.SendAsync("user:tenant:select", new { tenantId = "tenant-001" });
        await slow.NextInvocationAsync("user:tenant:select:response");
        await slow.SendAsync("patients:subscribe", new { });
        await slow.NextInvocationAsync("patients:list");

        // Large broadcasts at a pace a reading browser keeps up with, until the stuck one's kernel
        // buffers are full and its outbox overflows.
        var filler = new string('x', 16 * 1024);
        await using var nats = portal.Client();
        var push = portal.Portal.Services.GetRequiredService<HubBrowserPush>();
        var flood = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; push.SlowConsumers == 0 && flood.Elapsed < TimeSpan.FromSeconds(30); i++)
        {
            var body = $$$"""{"responseType":"updated","tenantId":"tenant-001","patient":{"id":"p-{{{i}}}","sentAt":{{{System.Diagnostics.Stopwatch.GetTimestamp()}}},"note":"{{{filler}}}"}}""";
            await nats.PublishAsync("customer.broadcast.patients.tenant-001", Encoding.UTF8.GetBytes(body));
            if (i % 10 == 9)
            {
                await Task.Delay(20);
            }
        }

        Assert.Equal(1, push.SlowConsumers);

        // The neighbour's latency (publish → its handler) over the flood, before and after the stuck one overflowed:
        // a figure for docs/RELIABILITY.md, not a timed assertion.
        await Task.Delay(500);
        var latencies = neighbour.All.Where(p => p.EventName == EventNames.PatientsUpdated)
            .Select(p => (Ms: (p.ReceivedAt - p.Payload.GetProperty("sentAt").GetInt64()) * 1000.0 / System.Diagnostics.Stopwatch.Frequency, Id: p.Payload.GetProperty("id").GetString()))
            .ToList();
        var sorted = latencies.Select(l => l.Ms).Order().ToList();
        output.WriteLine($"flood: {latencies.Count} broadcasts of 16 KiB reached the neighbour; latency p50 {sorted[sorted.Count / 2]:0.0} ms, "
            + $"p99 {sorted[(int)(sorted.Count * 0.99)]:0.0} ms, max {sorted[^1]:0.0} ms; slow consumers closed: {push.SlowConsumers}");

        // The neighbour still gets what is published now.
        await nats.PublishAsync("customer.broadcast.patients.tenant-001", Encoding.UTF8.GetBytes(
            """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-after-flood"}}"""));
        await neighbour.NextAsync(EventNames.PatientsNew, p => p.Payload.GetProperty("id").GetString() == "p-after-flood", TimeSpan.FromSeconds(30));

        // The slow one, once it reads again, finds the slow_consumer error and then the close.
        var rest = await slow.DrainUntilClosedAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(rest, f => f.Target == EventNames.Error && f.Argument.GetProperty("code").GetString() == ErrorCodes.SlowConsumer);
        Assert.NotEqual(System.Net.WebSockets.WebSocketState.Open, slow.State);
        Assert.Equal(1, push.SlowConsumers);
    }

    private static async Task<PortalClient> LoggedInOnMercy(IsolatedPortal portal)
    {
        var client = await portal.ConnectAsync();
        await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
        await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
        return client;
    }
}
