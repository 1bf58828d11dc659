using System.Text;
using NATS.Client.JetStream;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests.History;

/// <summary>
/// With the history in JetStream, a NATS outage is no gap: once the link is back each topic follows the
/// stream again from its last seq, so broadcasts the stream took meanwhile still reach the sockets, in
/// order, and no feed sends a fresh snapshot (PROTOCOL.md §3 "History").
/// </summary>
public sealed class OutageContinuationTests
{
    private const string Patients = "customer.broadcast.patients.tenant-001";

    [Fact]
    public async Task NatsRestarted_WithItsStore_TheFeedGoesOnFromItsLastSeq_WithoutASnapshot()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true, jetStream: true);
        await using var client = await portal.ConnectAsync();
        await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
        await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
        await client.CallAsync("patients:subscribe");
        await client.NextAsync(EventNames.PatientsListed);
        await using (var nats = portal.Client())
        {
            await Publish(new NatsJSContext(nats), "p-1");
        }

        var lastSeen = await client.NextAsync(EventNames.PatientsNew, p => Id(p) == "p-1");

        portal.KillNats();
        await client.NextAsync(EventNames.ConnectionStatus, p => p.Payload.GetProperty("nats").GetString() == "degraded");
        portal.RestartNats();

        // The stream (kept in its store) takes five broadcasts, likely before the portal is even back.
        await using (var nats = portal.Client())
        {
            var jetStream = new NatsJSContext(nats);
            foreach (var id in new[] { "p-2", "p-3", "p-4", "p-5", "p-6" })
            {
                await Publish(jetStream, id);
            }
        }

        await client.NextAsync(EventNames.ConnectionStatus, p => p.Payload.GetProperty("nats").GetString() == "ok", TimeSpan.FromSeconds(20));
        var after = new List<Push>();
        while (after.LastOrDefault() is not { } last || Id(last) != "p-6")
        {
            after.Add(await client.NextAsync(EventNames.PatientsNew, timeout: TimeSpan.FromSeconds(20)));
        }

        Assert.Equal(["p-2", "p-3", "p-4", "p-5", "p-6"], after.Select(Id));
        var seqs = after.Select(p => p.Second!.Value.GetProperty("seq").GetInt64()).Prepend(lastSeen.Second!.Value.GetProperty("seq").GetInt64()).ToList();
        Assert.True(seqs.Zip(seqs.Skip(1)).All(pair => pair.First < pair.Second), string.Join(",", seqs));
        Assert.Single(client.All, p => p.EventName == EventNames.PatientsListed);
    }

    private static async Task Publish(NatsJSContext jetStream, string id)
    {
        var ack = await jetStream.PublishAsync(Patients, Encoding.UTF8.GetBytes(
            $$$"""{"responseType":"created","tenantId":"tenant-001","patient":{"id":"{{{id}}}"}}"""));
        ack.EnsureSuccess();
    }

    private static string? Id(Push push) => push.Payload.GetProperty("id").GetString();
}
