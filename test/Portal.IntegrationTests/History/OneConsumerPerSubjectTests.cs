using NATS.Client.JetStream;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests.History;

/// <summary>With the history in JetStream each node reads each subject with subscribers through one consumer, and frees it when the last one leaves.</summary>
public sealed class OneConsumerPerSubjectTests
{
    private const string Patients = "customer.broadcast.patients.tenant-001";

    [Fact]
    public async Task SocketsOnTwoNodes_OnOneTenantsFeed_HoldOneConsumerPerNode_FreedWhenTheyLeave()
    {
        await using var nodes = await TwoNodes.StartAsync(jetStream: true);
        await using var nats = nodes.Client();
        var jetStream = new NatsJSContext(nats);
        var sockets = new List<PortalClient>();
        foreach (var address in new[] { nodes.A.Address, nodes.A.Address, nodes.A.Address, nodes.B.Address, nodes.B.Address })
        {
            var client = await PortalClient.ConnectAsync(address);
            await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
            await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
            await client.CallAsync("patients:subscribe");
            await client.NextAsync(EventNames.PatientsListed);
            sockets.Add(client);
        }

        Assert.Equal(2, await ConsumersOnAsync(jetStream, Patients));
        Assert.Equal(0, await nodes.ServerSubscriptionsOnAsync(Patients)); // no core subscription besides

        foreach (var socket in sockets)
        {
            await socket.CallAsync("patients:unsubscribe");
            await socket.NextAsync(EventNames.ResponseOf(EventNames.PatientsUnsubscribe));
            await socket.DisposeAsync();
        }

        await Eventually.HoldsAsync(async () => await ConsumersOnAsync(jetStream, Patients) == 0);
    }

    private static async Task<int> ConsumersOnAsync(NatsJSContext jetStream, string subject)
    {
        var count = 0;
        await foreach (var consumer in jetStream.ListConsumersAsync("HTPI_CUSTOMER_BROADCASTS"))
        {
            count += consumer.Info.Config.FilterSubject == subject ? 1 : 0;
        }

        return count;
    }
}
