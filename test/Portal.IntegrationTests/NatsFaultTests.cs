using System.Text;
using System.Text.Json;
using NATS.Client.Core;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>The bridge when NATS or a service misbehaves: a real nats-server killed and restarted, silent or broken services.</summary>
public sealed class NatsFaultTests
{
    private const string PatientsOfMercy = "customer.broadcast.patients.tenant-001";

    [Fact]
    public async Task NatsKilled_MidSession_SocketsSeeDegradedThenOkAndFeedsCarryOn()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var demo = await LoggedInOnMercy(portal, "demo@htpi.com", "demo123");
        await using var john = await LoggedInOnMercy(portal, "john@example.com", "password123");
        foreach (var client in new[] { demo, john })
        {
            await client.CallAsync("patients:subscribe");
            await client.NextAsync(EventNames.PatientsListed);
        }

        var before = await portal.ActorCountsAsync();
        portal.KillNats();

        foreach (var client in new[] { demo, john })
        {
            await client.NextAsync(EventNames.ConnectionStatus, p => p.Payload.GetProperty("nats").GetString() == "degraded");
        }

        await portal.WaitForReadyzAsync(ready: false);

        // Calls during the outage are answered at once, never left hanging.
        await demo.CallAsync("patients:view", new { patientId = "p-001-01" });
        Assert.Equal(ErrorCodes.ServiceUnavailable, (await demo.ErrorAsync("patients:view")).GetProperty("code").GetString());

        portal.RestartNats();

        foreach (var client in new[] { demo, john })
        {
            await client.NextAsync(EventNames.ConnectionStatus, p => p.Payload.GetProperty("nats").GetString() == "ok", TimeSpan.FromSeconds(20));

            // The feed child was restarted by supervision: a fresh snapshot replaces what may have been missed.
            await client.NextAsync(EventNames.PatientsListed, timeout: TimeSpan.FromSeconds(20));
        }

        await using var nats = portal.Client();
        await PublishPatient(nats, "p-after-restart");
        foreach (var client in new[] { demo, john })
        {
            await client.NextAsync(EventNames.PatientsNew, p => p.Payload.GetProperty("id").GetString() == "p-after-restart");
        }

        // Nothing leaked: the same actors and one NATS subscription for the subject, as before the kill.
        Assert.Equal(1, await portal.ServerSubscriptionsOnAsync(PatientsOfMercy));
        Assert.Equal(before, await portal.ActorCountsAsync());
    }

    [Fact]
    public async Task NatsDown_WhenASocketSubscribes_TheFeedStartsOnceNatsIsBack()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var client = await LoggedInOnMercy(portal, "demo@htpi.com", "demo123");

        portal.KillNats();
        await client.NextAsync(EventNames.ConnectionStatus, p => p.Payload.GetProperty("nats").GetString() == "degraded");
        await client.CallAsync("patients:subscribe");
        Assert.True(await client.NoneAsync(EventNames.PatientsListed, TimeSpan.FromSeconds(1)));

        portal.RestartNats();

        await client.NextAsync(EventNames.PatientsListed, timeout: TimeSpan.FromSeconds(20));
        await using var nats = portal.Client();
        await PublishPatient(nats, "p-late");
        await client.NextAsync(EventNames.PatientsNew, p => p.Payload.GetProperty("id").GetString() == "p-late");
    }

    [Fact]
    public async Task ManySockets_OnOneTenant_ShareOneNatsSubscriptionReleasedWhenTheLastLeaves()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        var clients = new List<PortalClient>();
        for (var i = 0; i < 5; i++)
        {
            var client = await LoggedInOnMercy(portal, "demo@htpi.com", "demo123");
            await client.CallAsync("patients:subscribe");
            await client.NextAsync(EventNames.PatientsListed);
            clients.Add(client);
        }

        Assert.Equal(1, await portal.ServerSubscriptionsOnAsync(PatientsOfMercy));

        foreach (var client in clients)
        {
            await client.AskAsync("patients:unsubscribe");
            await client.DisposeAsync();
        }

        await Eventually.HoldsAsync(async () => await portal.ServerSubscriptionsOnAsync(PatientsOfMercy) == 0);
    }

    [Fact]
    public async Task NoAuthService_Login_IsAnsweredServiceUnavailableLongBeforeTheTimeout()
    {
        // A 60 s timeout: an answer within the 10 s the client waits can only come from NATS' "no responders".
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false, new Dictionary<string, string> { ["REQUEST_TIMEOUT_SECONDS"] = "60" });
        await using var client = await portal.ConnectAsync();

        var login = await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });

        Assert.False(login.GetProperty("success").GetBoolean());
        Assert.Equal(ErrorCodes.ServiceUnavailable, (await client.ErrorAsync("auth:login")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task BrokenAuthService_MalformedAnswer_IsRefusedAsUpstreamErrorAndTheSocketCarriesOn()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false);
        await using var nats = portal.Client();
        await using var logins = await nats.SubscribeCoreAsync<byte[]>(Subjects.AuthLogin);
        var brokenService = Task.Run(async () =>
        {
            await foreach (var message in logins.Msgs.ReadAllAsync())
            {
                var clientId = JsonDocument.Parse(message.Data!).RootElement.GetProperty("clientId").GetString();
                await nats.PublishAsync($"customer.auth.response.{clientId}", "{ this is not json"u8.ToArray());
            }
        });
        await using var client = await portal.ConnectAsync();

        await client.CallAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });

        Assert.Equal(ErrorCodes.UpstreamError, (await client.ErrorAsync("auth:login")).GetProperty("code").GetString());
        await client.CallAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
        Assert.Equal(ErrorCodes.UpstreamError, (await client.ErrorAsync("auth:login")).GetProperty("code").GetString());
    }

    private static async Task<PortalClient> LoggedInOnMercy(IsolatedPortal portal, string email, string password)
    {
        var client = await portal.ConnectAsync();
        Assert.True((await client.AskAsync("auth:login", new { email, password })).GetProperty("success").GetBoolean());
        Assert.True((await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" })).GetProperty("success").GetBoolean());
        return client;
    }

    private static Task PublishPatient(NatsConnection nats, string id) =>
        nats.PublishAsync(PatientsOfMercy, Encoding.UTF8.GetBytes(
            $$$"""{"responseType":"created","tenantId":"tenant-001","patient":{"id":"{{{id}}}","firstName":"A","lastName":"B"}}""")).AsTask();
}
