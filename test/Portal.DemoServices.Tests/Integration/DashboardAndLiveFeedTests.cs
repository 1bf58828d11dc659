using System.Text.Json.Nodes;

namespace Portal.DemoServices.Tests.Integration;

[Collection(DemoServicesCollection.Name)]
public sealed class DashboardAndLiveFeedTests(DemoServicesFixture fixture) : IAsyncLifetime
{
    private TestClient _client = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _client = await TestClient.ConnectAsync(fixture.Nats.Url);
        (_, _token) = await _client.SessionAsync("demo@htpi.com", "demo123");
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task GetStats_Tenant001_AnswersNumbersThatMatchTheLists()
    {
        var stats = await _client.RequestAsync("htpi.dashboard.get.stats",
            new JsonObject { ["tenantId"] = "tenant-001", ["userId"] = "user-demo" }, _token);

        var claims = (int)stats["claims"]!;
        Assert.True((int)stats["patients"]! >= 4);
        Assert.True(claims > 0);
        Assert.True((int)stats["pendingClaims"]! + (int)stats["approvedClaims"]! + (int)stats["deniedClaims"]! + (int)stats["paidClaims"]! == claims);
    }

    [Fact]
    public async Task GetActivity_Tenant002_AnswersActivitiesWithFields()
    {
        var answer = await _client.RequestAsync("htpi.dashboard.get.activity",
            new JsonObject { ["tenantId"] = "tenant-002", ["userId"] = "user-demo" }, _token);

        var activities = answer["activities"]!.AsArray();
        Assert.NotEmpty(activities);
        Assert.All(activities, a =>
        {
            foreach (var field in new[] { "id", "type", "message", "timestamp" })
            {
                Assert.NotNull(a![field]);
            }
        });
    }

    [Fact]
    public async Task LiveFeed_ShortInterval_PublishesActivityStatsAndClaimUpdates()
    {
        await using var dashboard = await _client.Nats.SubscribeCoreAsync<byte[]>("customer.broadcast.dashboard.tenant-001");
        await using var claims = await _client.Nats.SubscribeCoreAsync<byte[]>("customer.broadcast.claims.tenant-001");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var seen = new HashSet<string>();
        while (!seen.Contains("activity") || !seen.Contains("stats"))
        {
            var msg = TestClient.Decode((await dashboard.Msgs.ReadAsync(cts.Token)).Data);
            var type = (string)msg["type"]!;
            seen.Add(type);
            Assert.NotNull(msg[type]);
        }
        var update = TestClient.Decode((await claims.Msgs.ReadAsync(cts.Token)).Data);

        Assert.Equal("updated", (string?)update["type"]);
        Assert.StartsWith("c-001-", (string)update["claim"]!["id"]!);
        Assert.NotNull(update["claim"]!["status"]);
    }

    [Fact]
    public async Task LiveFeed_ClaimUpdate_IsVisibleThroughClaimsGet()
    {
        await using var claims = await _client.Nats.SubscribeCoreAsync<byte[]>("customer.broadcast.claims.tenant-002");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var claim = TestClient.Decode((await claims.Msgs.ReadAsync(cts.Token)).Data)["claim"]!;
        var answer = await _client.RequestAsync("htpi.claims.get",
            new JsonObject { ["tenantId"] = "tenant-002", ["userId"] = "user-demo", ["claimId"] = (string)claim["id"]! }, _token);

        Assert.True((bool)answer["success"]!);
        Assert.Equal((string?)claim["id"], (string?)answer["claim"]!["id"]);
    }

    [Fact]
    public async Task LiveFeed_PatientUpdates_UseResponseType()
    {
        await using var patients = await _client.Nats.SubscribeCoreAsync<byte[]>("customer.broadcast.patients.tenant-001");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        JsonObject msg;
        do
        {
            msg = TestClient.Decode((await patients.Msgs.ReadAsync(cts.Token)).Data);
        }
        while ((string?)msg["responseType"] != "updated");

        Assert.Null(msg["type"]);
        Assert.Equal("tenant-001", (string?)msg["tenantId"]);
        Assert.StartsWith("p-001-", (string)msg["patient"]!["id"]!);
    }
}
