using System.Text.Json.Nodes;

namespace Portal.DemoServices.Tests.Integration;

[Collection(DemoServicesCollection.Name)]
public sealed class TenantTests(DemoServicesFixture fixture) : IAsyncLifetime
{
    private TestClient _client = null!;

    public async Task InitializeAsync() => _client = await TestClient.ConnectAsync(fixture.Nats.Url);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private async Task<JsonObject?> ListAsync(string userId, string email, string? token)
    {
        var clientId = TestClient.NewClientId();
        var body = new JsonObject
        {
            ["userId"] = userId,
            ["userEmail"] = email,
            ["clientId"] = clientId,
            ["portal"] = "customer",
            ["requestId"] = "r1",
        };
        var answer = await _client.PublishAndWaitAsync("htpi.tenant.list.for.user", body, $"customer.tenants.response.{clientId}", token);
        Assert.Equal(clientId, (string?)answer?["clientId"]);
        return answer;
    }

    [Fact]
    public async Task ListForUser_Demo_AnswersBothTenantsWithSnakeCaseCreatedAt()
    {
        var (userId, token) = await _client.SessionAsync("demo@htpi.com", "demo123");

        var answer = await ListAsync(userId, "demo@htpi.com", token);

        Assert.True((bool)answer!["success"]!);
        var tenants = answer["tenants"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Assert.Equal(["tenant-001", "tenant-002"], tenants.Select(t => (string)t["id"]!));
        Assert.Equal(["Mercy General Hospital", "Springfield Clinic"], tenants.Select(t => (string)t["name"]!));
        Assert.All(tenants, t =>
        {
            Assert.Equal("active", (string?)t["status"]);
            Assert.NotNull(t["settings"]);
            Assert.NotNull(t["created_at"]);
            Assert.Null(t["createdAt"]);
        });
    }

    [Fact]
    public async Task ListForUser_John_AnswersOnlyTenant001()
    {
        var (userId, token) = await _client.SessionAsync("john@example.com", "password123");

        var answer = await ListAsync(userId, "john@example.com", token);

        Assert.Equal(["tenant-001"], answer!["tenants"]!.AsArray().Select(t => (string)t!["id"]!));
    }

    [Fact]
    public async Task ListForUser_WithoutToken_AnswersUnauthorizedAndNoTenants()
    {
        var answer = await ListAsync("user-demo", "demo@htpi.com", token: null);

        Assert.False((bool)answer!["success"]!);
        Assert.Equal("Unauthorized", (string?)answer["error"]);
        Assert.Empty(answer["tenants"]!.AsArray());
    }

    [Theory]
    [InlineData("demo@htpi.com", "demo123", "tenant-001", true)]
    [InlineData("demo@htpi.com", "demo123", "tenant-002", true)]
    [InlineData("john@example.com", "password123", "tenant-001", true)]
    [InlineData("john@example.com", "password123", "tenant-002", false)]
    [InlineData("demo@htpi.com", "demo123", "tenant-999", false)]
    [InlineData("demo@htpi.com", "demo123", "tenant-*", false)]
    public async Task VerifyAccess_UserAndTenant_AnswersGrant(string email, string password, string tenantId, bool expected)
    {
        var (userId, token) = await _client.SessionAsync(email, password);

        var answer = await _client.RequestAsync("htpi.tenant.verify.access",
            new JsonObject { ["userId"] = userId, ["tenantId"] = tenantId }, token);

        Assert.Equal(expected, (bool)answer["hasAccess"]!);
        Assert.Equal(userId, (string?)answer["userId"]);
        Assert.Equal(tenantId, (string?)answer["tenantId"]);
    }

    [Fact]
    public async Task VerifyAccess_TokenOfAnotherUser_AnswersNoAccess()
    {
        var (_, johnToken) = await _client.SessionAsync("john@example.com", "password123");

        var answer = await _client.RequestAsync("htpi.tenant.verify.access",
            new JsonObject { ["userId"] = "user-demo", ["tenantId"] = "tenant-002" }, johnToken);

        Assert.False((bool)answer["hasAccess"]!);
    }
}
