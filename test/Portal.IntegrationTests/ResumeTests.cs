using System.Text;
using System.Text.Json;
using NATS.Client.Core;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>
/// A browser socket drops and comes back: the session is held for the grace period, and
/// <c>auth:resume</c> with the last seq per feed replays what was missed, in order, once.
/// </summary>
public sealed class ResumeTests
{
    private const string Patients = "customer.broadcast.patients.tenant-001";

    [Fact]
    public async Task Resume_AfterASocketDrop_ReplaysEveryMissedBroadcastOnceAndInOrder()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var nats = portal.Client();
        var (first, token) = await LoggedInWithPatients(portal);
        await Publish(nats, 1, 3);
        var (lastSeen, epoch) = await PositionAfter(first, "p-3");

        // The socket drops; broadcasts keep flowing meanwhile.
        await first.DisposeAsync();
        await Eventually.HoldsAsync(async () => (await portal.HeldSessionsAsync()) == 1);
        await Publish(nats, 4, 8);

        await using var second = await portal.ConnectAsync();
        var resumed = await second.AskAsync("auth:resume", new { token, lastSeq = new { patients = lastSeen }, epoch, requestId = "back" });

        Assert.True(resumed.GetProperty("success").GetBoolean());
        Assert.True(resumed.GetProperty("recovered").GetBoolean());
        Assert.Equal(epoch, resumed.GetProperty("epoch").GetString());
        Assert.Equal("tenant-001", resumed.GetProperty("tenantId").GetString());
        Assert.Equal(["patients"], resumed.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetString()));

        // Then live again: one more broadcast after the resume.
        await Publish(nats, 9, 9);
        var received = await ReceivedUntil(second, "p-9");
        Assert.Equal(["p-4", "p-5", "p-6", "p-7", "p-8", "p-9"], received.Select(r => r.Id));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => lastSeen + i), received.Select(r => r.Seq));

        // The session is on the new socket: it serves tenant calls without a new select.
        Assert.True((await second.AskAsync("patients:view", new { patientId = "p-001-01" })).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Resume_WhenTheGapIsOlderThanTheHistory_SaysNotRecoveredAndSendsAFreshList()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true, new Dictionary<string, string> { ["REPLAY_HISTORY_LIMIT"] = "3" });
        await using var nats = portal.Client();
        var (first, token) = await LoggedInWithPatients(portal);
        await Publish(nats, 1, 1);
        var (lastSeen, epoch) = await PositionAfter(first, "p-1");
        await first.DisposeAsync();
        await Eventually.HoldsAsync(async () => (await portal.HeldSessionsAsync()) == 1);
        await Publish(nats, 2, 8);

        await using var second = await portal.ConnectAsync();
        var resumed = await second.AskAsync("auth:resume", new { token, lastSeq = new { patients = lastSeen }, epoch });

        Assert.True(resumed.GetProperty("success").GetBoolean());
        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        await second.NextAsync(EventNames.PatientsListed);
    }

    [Fact]
    public async Task Resume_AfterTheGracePeriod_GivesAFreshSessionWithoutTenant()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true, new Dictionary<string, string> { ["RESUME_GRACE_SECONDS"] = "1" });
        var (first, token) = await LoggedInWithPatients(portal);
        await first.DisposeAsync();
        await Eventually.HoldsAsync(async () => (await portal.HeldSessionsAsync()) == 1);
        await Eventually.HoldsAsync(async () => (await portal.HeldSessionsAsync()) == 0);

        // The session and its actors are gone: so is the node's NATS subscription for the feed.
        await Eventually.HoldsAsync(async () => await portal.ServerSubscriptionsOnAsync(Patients) == 0);

        await using var second = await portal.ConnectAsync();
        var resumed = await second.AskAsync("auth:resume", new { token, lastSeq = new { patients = 1 } });

        Assert.True(resumed.GetProperty("success").GetBoolean());
        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        Assert.False(resumed.TryGetProperty("tenantId", out _));
    }

    [Fact]
    public async Task Resume_WhileTheOldSocketIsStillOpen_MovesTheSessionAndLogsTheOldSocketOut()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        var (first, token) = await LoggedInWithPatients(portal);
        await using var oldSocket = first;

        await using var second = await portal.ConnectAsync();
        var resumed = await second.AskAsync("auth:resume", new { token });

        Assert.True(resumed.GetProperty("success").GetBoolean());
        Assert.False(resumed.TryGetProperty("recovered", out _));
        var loggedOut = await first.NextAsync(EventNames.Error);
        Assert.Equal(ErrorCodes.Unauthenticated, loggedOut.Payload.GetProperty("code").GetString());
        await first.CallAsync("user:tenants:list");
        Assert.Equal(ErrorCodes.Unauthenticated, (await first.ErrorAsync("user:tenants:list")).GetProperty("code").GetString());
        Assert.True((await second.AskAsync("patients:view", new { patientId = "p-001-01" })).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Resume_WhenNoSessionIsHeld_RestoresTheNamedTenantAndFeedsWithFreshLists()
    {
        // No grace: the dropped socket's session ends at once, as if the resume reached another node.
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true, new Dictionary<string, string> { ["RESUME_GRACE_SECONDS"] = "0" });
        var (first, token) = await LoggedInWithPatients(portal);
        await first.DisposeAsync();
        await Eventually.HoldsAsync(async () => (await portal.HeldSessionsAsync()) == 0);

        await using var second = await portal.ConnectAsync();
        var resumed = await second.AskAsync("auth:resume", new { token, tenantId = "tenant-001", subscriptions = new[] { "patients" }, lastSeq = new { patients = 3 } });

        Assert.Equal("tenant-001", resumed.GetProperty("tenantId").GetString());
        Assert.Equal(["patients"], resumed.GetProperty("subscriptions").EnumerateArray().Select(s => s.GetString()));
        Assert.False(resumed.GetProperty("recovered").GetBoolean());
        Assert.NotEmpty((await second.NextAsync(EventNames.PatientsListed)).Payload.EnumerateArray());
        Assert.True((await second.AskAsync("patients:view", new { patientId = "p-001-01" })).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Resume_NamingATenantNotGranted_ComesBackWithoutTenantOrFeed()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true, new Dictionary<string, string> { ["RESUME_GRACE_SECONDS"] = "0" });
        var john = await portal.ConnectAsync();
        var token = (await john.AskAsync("auth:login", new { email = "john@example.com", password = "password123" })).GetProperty("token").GetString();
        await john.DisposeAsync();
        await Eventually.HoldsAsync(async () => (await portal.HeldSessionsAsync()) == 0);

        await using var second = await portal.ConnectAsync();
        var resumed = await second.AskAsync("auth:resume", new { token, tenantId = "tenant-002", subscriptions = new[] { "patients" } });

        Assert.True(resumed.GetProperty("success").GetBoolean());
        Assert.False(resumed.TryGetProperty("tenantId", out var tenant) && tenant.ValueKind == JsonValueKind.String);
        Assert.True(await second.NoneAsync(EventNames.PatientsListed, TimeSpan.FromMilliseconds(500)));
    }

    private static async Task<(PortalClient Client, string Token)> LoggedInWithPatients(IsolatedPortal portal)
    {
        var client = await portal.ConnectAsync();
        var login = await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
        await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
        await client.CallAsync("patients:subscribe");
        await client.NextAsync(EventNames.PatientsListed);
        return (client, login.GetProperty("token").GetString()!);
    }

    private static async Task Publish(NatsConnection nats, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            await nats.PublishAsync(Patients, Encoding.UTF8.GetBytes(
                $$$"""{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-{{{i}}}"}}"""));
        }

        await nats.PingAsync();
    }

    /// <summary>The seq and epoch of the live push of patient <paramref name="id"/>.</summary>
    private static async Task<(long Seq, string Epoch)> PositionAfter(PortalClient client, string id)
    {
        var meta = (await client.NextAsync(EventNames.PatientsNew, p => p.Payload.GetProperty("id").GetString() == id)).Second!.Value;
        return (meta.GetProperty("seq").GetInt64(), meta.GetProperty("epoch").GetString()!);
    }

    private static async Task<List<(string Id, long Seq)>> ReceivedUntil(PortalClient client, string lastId)
    {
        var received = new List<(string, long)>();
        while (true)
        {
            var push = await client.NextAsync(EventNames.PatientsNew);
            var id = push.Payload.GetProperty("id").GetString()!;
            received.Add((id, push.Second!.Value.GetProperty("seq").GetInt64()));
            if (id == lastId)
            {
                return received;
            }
        }
    }
}
