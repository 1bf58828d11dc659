using System.Text;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>Two portal nodes behind one NATS, as replicas of the chart run: no node knows the other.</summary>
public sealed class ScaleOutTests
{
    private const string PatientsOfMercy = "customer.broadcast.patients.tenant-001";

    [Fact]
    public async Task Broadcast_SocketsOnBothNodes_EachSocketGetsItExactlyOnce()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await using var a1 = await SubscribedOnMercy(nodes.A.Address, "demo@htpi.com", "demo123");
        await using var a2 = await SubscribedOnMercy(nodes.A.Address, "john@example.com", "password123");
        await using var b1 = await SubscribedOnMercy(nodes.B.Address, "demo@htpi.com", "demo123");
        await using var b2 = await SubscribedOnMercy(nodes.B.Address, "john@example.com", "password123");

        // One NATS subscription per node on the subject, however many sockets each node holds.
        Assert.Equal(2, await nodes.ServerSubscriptionsOnAsync(PatientsOfMercy));

        await using (var nats = nodes.Client())
        {
            await nats.PublishAsync(PatientsOfMercy, Encoding.UTF8.GetBytes(
                """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-both-nodes","firstName":"A","lastName":"B"}}"""));

            // A round trip, so the publish has left before the connection is disposed.
            await nats.PingAsync();
        }

        var clients = new[] { a1, a2, b1, b2 };
        foreach (var client in clients)
        {
            await client.NextAsync(EventNames.PatientsNew, IsThePatient);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        foreach (var client in clients)
        {
            Assert.Single(client.All, p => p.EventName == EventNames.PatientsNew && IsThePatient(p));
        }
    }

    [Fact]
    public async Task Logs_TwoNodesInOneProcess_EachNodeKeepsItsOwnActorAndHostLines()
    {
        await using var nodes = await TwoNodes.StartAsync();
        await using (var onA = await PortalClient.ConnectAsync(nodes.A.Address))
        {
            // Refused by A's connection actor (no login yet), which logs the refusal through Akka.
            await onA.CallAsync("claims:list", new { patientId = "p-001-01" });
            await onA.ErrorAsync("claims:list");
        }

        static bool IsRefusal(string line) => line.Contains("Refused", StringComparison.Ordinal) && line.Contains("claims:list", StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => Task.FromResult(nodes.A.Logs.Lines.Any(IsRefusal)), TimeSpan.FromSeconds(5));

        // A was built first: had both hosts shared the static logger, B would have taken A's lines.
        Assert.DoesNotContain(nodes.B.Logs.Lines, IsRefusal);
        Assert.Contains(nodes.A.Logs.Lines, l => l.Contains("NATS connected", StringComparison.Ordinal));
        Assert.Contains(nodes.B.Logs.Lines, l => l.Contains("NATS connected", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resume_SocketMovesToTheOtherNode_CarriesOnThereWithResumeAndReselect()
    {
        await using var nodes = await TwoNodes.StartAsync();
        string token;
        await using (var onA = await PortalClient.ConnectAsync(nodes.A.Address))
        {
            var login = await onA.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
            token = login.GetProperty("token").GetString()!;
            Assert.True((await onA.AskAsync("user:tenant:select", new { tenantId = "tenant-001" })).GetProperty("success").GetBoolean());
            await onA.CallAsync("patients:subscribe");
            await onA.NextAsync(EventNames.PatientsListed);
        }

        // The browser's socket dropped (its node went away); it reconnects, the ingress picks node B.
        await using var onB = await PortalClient.ConnectAsync(nodes.B.Address);
        var resumed = await onB.AskAsync("auth:resume", new { token });
        Assert.True(resumed.GetProperty("success").GetBoolean());
        Assert.Equal("demo@htpi.com", resumed.GetProperty("user").GetProperty("email").GetString());
        Assert.True((await onB.AskAsync("user:tenant:select", new { tenantId = "tenant-001" })).GetProperty("success").GetBoolean());
        await onB.CallAsync("patients:subscribe");
        await onB.NextAsync(EventNames.PatientsListed);

        await using (var nats = nodes.Client())
        {
            await nats.PublishAsync(PatientsOfMercy, Encoding.UTF8.GetBytes(
                """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-both-nodes","firstName":"A","lastName":"B"}}"""));

            // A round trip, so the publish has left before the connection is disposed.
            await nats.PingAsync();
        }

        await onB.NextAsync(EventNames.PatientsNew, IsThePatient);
    }

    private static bool IsThePatient(Push push) => push.Payload.GetProperty("id").GetString() == "p-both-nodes";

    private static async Task<PortalClient> SubscribedOnMercy(Uri node, string email, string password)
    {
        var client = await PortalClient.ConnectAsync(node);
        Assert.True((await client.AskAsync("auth:login", new { email, password })).GetProperty("success").GetBoolean());
        Assert.True((await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" })).GetProperty("success").GetBoolean());
        await client.CallAsync("patients:subscribe");
        await client.NextAsync(EventNames.PatientsListed);
        return client;
    }
}
