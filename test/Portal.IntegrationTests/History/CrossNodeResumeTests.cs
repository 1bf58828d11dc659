using System.Text;
using System.Text.Json;
using NATS.Client.Core;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests.History;

/// <summary>
/// Two portal nodes sharing one nats-server with JetStream: a socket that drops on one node resumes on the
/// other and gets what it missed from the history stream (PROTOCOL.md §3 "Resume" and "History").
/// </summary>
public sealed class CrossNodeResumeTests
{
    private const string Patients = "customer.broadcast.patients.tenant-001";

    [Fact]
    public async Task Resume_OnTheOtherNode_ReplaysTwentyMissedBroadcastsInOrderAfterTheAnswer_WithNoSnapshotRequest()
    {
        await using var nodes = await TwoNodes.StartAsync(jetStream: true);
        await using var nats = nodes.Client();
        await using var spy = await ServiceRequestSpy.StartAsync(nodes.Nats.Url);
        var onA = await PortalClient.ConnectAsync(nodes.A.Address);
        var token = await LogInSelectAndSubscribe(onA);
        await PublishPatients(nats, 1, 2);
        var seen = await onA.NextAsync(EventNames.PatientsNew, p => Id(p) == "p-2");
        var (patientsSeq, epoch) = Position(seen);
        var dashboardSeq = Position(onA.All.Last(p => p.EventName == EventNames.DashboardStats)).Seq;

        // The socket is gone with its node's session (as after a pod stops); 20 broadcasts come meanwhile.
        await onA.DisposeAsync();
        await PublishPatients(nats, 3, 22);
        await spy.ResetAsync();

        await using var onB = await PortalClient.ConnectAsync(nodes.B.Address);
        var resumed = await onB.AskAsync("auth:resume", new
        {
            token,
            tenantId = "tenant-001",
            subscriptions = new[] { "patients", "dashboard" },
            lastSeq = new { patients = patientsSeq, dashboard = dashboardSeq },
            epoch,
            requestId = "back",
        });

        Assert.True(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal("tenant-001", resumed.GetProperty("tenantId").GetString());
        Assert.Equal(epoch, resumed.GetProperty("epoch").GetString());
        var replayed = await PatientsUntil(onB, "p-22");
        Assert.Equal(Enumerable.Range(3, 20).Select(i => $"p-{i}"), replayed.Select(Id));
        var seqs = replayed.Select(p => Position(p).Seq).ToList();
        Assert.True(seqs.Zip(seqs.Skip(1)).All(pair => pair.First < pair.Second) && seqs[0] > patientsSeq, string.Join(",", seqs));

        // The answer came first, then the replay.
        var order = onB.All.Select(p => p.EventName).ToList();
        Assert.True(order.IndexOf(EventNames.ResponseOf(EventNames.AuthResume)) < order.IndexOf(EventNames.PatientsNew));

        // Then live, once: a broadcast after the resume comes once, after the replay.
        await PublishPatients(nats, 23, 23);
        await onB.NextAsync(EventNames.PatientsNew, p => Id(p) == "p-23");
        Assert.Single(onB.All, p => p.EventName == EventNames.PatientsNew && Id(p) == "p-23");
        Assert.Single(onB.All, p => p.EventName == EventNames.PatientsNew && Id(p) == "p-3");

        // The services: one token check, one access check, no snapshot.
        var asked = await spy.CountsAsync();
        Assert.Equal(1, asked.GetValueOrDefault(Subjects.AuthVerify));
        Assert.Equal(1, asked.GetValueOrDefault(Subjects.TenantVerifyAccess));
        Assert.Equal(0, asked.GetValueOrDefault(Subjects.PatientList) + asked.GetValueOrDefault(Subjects.DashboardGetStats) + asked.GetValueOrDefault(Subjects.DashboardGetActivity));
        Assert.DoesNotContain(onB.All, p => p.EventName is EventNames.PatientsListed or EventNames.DashboardStats or EventNames.DashboardActivity);
    }

    [Fact]
    public async Task Resume_OnTheOtherNode_WithAnEpochOfAnotherHistory_SendsFreshListsAndSaysNotRecovered()
    {
        await using var nodes = await TwoNodes.StartAsync(jetStream: true);
        var onA = await PortalClient.ConnectAsync(nodes.A.Address);
        var token = await LogInSelectAndSubscribe(onA);
        await onA.DisposeAsync();

        await using var onB = await PortalClient.ConnectAsync(nodes.B.Address);
        var resumed = await onB.AskAsync("auth:resume", new
        {
            token, tenantId = "tenant-001", subscriptions = new[] { "patients" }, lastSeq = new { patients = 1 }, epoch = "node-0000000000000000",
        });

        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        await onB.NextAsync(EventNames.PatientsListed);
    }

    [Fact]
    public async Task Resume_NamingATenantNotGranted_AsksAccess_AndSendsNothingOfThatTenant()
    {
        await using var nodes = await TwoNodes.StartAsync(jetStream: true);
        await using var nats = nodes.Client();
        await using var spy = await ServiceRequestSpy.StartAsync(nodes.Nats.Url);
        var john = await PortalClient.ConnectAsync(nodes.A.Address);
        var token = (await john.AskAsync("auth:login", new { email = "john@example.com", password = "password123" })).GetProperty("token").GetString();
        await john.DisposeAsync();
        await spy.ResetAsync();

        await using var onB = await PortalClient.ConnectAsync(nodes.B.Address);
        var resumed = await onB.AskAsync("auth:resume", new
        {
            token, tenantId = "tenant-002", subscriptions = new[] { "patients", "dashboard" }, lastSeq = new { patients = 1 }, epoch = "x",
        });
        await nats.PublishAsync("customer.broadcast.patients.tenant-002", Encoding.UTF8.GetBytes(
            """{"responseType":"created","tenantId":"tenant-002","patient":{"id":"p-not-yours"}}"""));

        Assert.True(resumed.GetProperty("success").GetBoolean());
        Assert.False(resumed.TryGetProperty("tenantId", out var tenant) && tenant.ValueKind == JsonValueKind.String);
        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        Assert.True(await onB.NoneAsync(EventNames.PatientsNew, TimeSpan.FromMilliseconds(500)));
        var asked = await spy.CountsAsync();
        Assert.Equal(1, asked.GetValueOrDefault(Subjects.TenantVerifyAccess));
        Assert.Equal(0, asked.GetValueOrDefault(Subjects.PatientList) + asked.GetValueOrDefault(Subjects.DashboardGetStats));
        Assert.DoesNotContain(onB.All, p => p.EventName is EventNames.PatientsListed or EventNames.DashboardStats);
    }

    private static async Task<string> LogInSelectAndSubscribe(PortalClient client)
    {
        var login = await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
        await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
        await client.CallAsync("patients:subscribe");
        await client.CallAsync("dashboard:subscribe");
        await client.NextAsync(EventNames.PatientsListed);
        await client.NextAsync(EventNames.DashboardStats);
        return login.GetProperty("token").GetString()!;
    }

    private static async Task PublishPatients(NatsConnection nats, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            await nats.PublishAsync(Patients, Encoding.UTF8.GetBytes(
                $$$"""{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-{{{i}}}"}}"""));
        }

        await nats.PingAsync();
    }

    private static async Task<List<Push>> PatientsUntil(PortalClient client, string lastId)
    {
        var received = new List<Push>();
        while (received.LastOrDefault() is not { } last || Id(last) != lastId)
        {
            received.Add(await client.NextAsync(EventNames.PatientsNew));
        }

        return received;
    }

    private static string? Id(Push push) => push.Payload.GetProperty("id").GetString();

    private static (long Seq, string Epoch) Position(Push push) =>
        (push.Second!.Value.GetProperty("seq").GetInt64(), push.Second!.Value.GetProperty("epoch").GetString()!);
}
