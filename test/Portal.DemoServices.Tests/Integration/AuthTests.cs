using System.Text.Json.Nodes;

namespace Portal.DemoServices.Tests.Integration;

[Collection(DemoServicesCollection.Name)]
public sealed class AuthTests(DemoServicesFixture fixture) : IAsyncLifetime
{
    private TestClient _client = null!;

    public async Task InitializeAsync() => _client = await TestClient.ConnectAsync(fixture.Nats.Url);

    public async Task DisposeAsync() => await _client.DisposeAsync();

    [Fact]
    public async Task Login_ValidDemoCredentials_AnswersOnClientSubjectWithUserAndToken()
    {
        var clientId = TestClient.NewClientId();

        var answer = await _client.LoginAsync("demo@htpi.com", "demo123", clientId);

        Assert.True((bool)answer["success"]!);
        Assert.Equal(clientId, (string?)answer["clientId"]);
        var user = answer["user"]!.AsObject();
        Assert.Equal("user-demo", (string?)user["id"]);
        Assert.Equal("demo@htpi.com", (string?)user["email"]);
        Assert.False(string.IsNullOrEmpty((string?)user["name"]));
        Assert.False(string.IsNullOrEmpty((string?)user["role"]));
        Assert.Equal(["tenant-001", "tenant-002"], user["tenants"]!.AsArray().Select(t => (string)t!));
        var token = (string)answer["token"]!;
        Assert.Equal(43, token.Length); // 32 random bytes, base64url without padding
    }

    [Fact]
    public async Task Login_TwoLogins_IssueDifferentTokens()
    {
        var (_, first) = await _client.SessionAsync("john@example.com", "password123");
        var (_, second) = await _client.SessionAsync("john@example.com", "password123");

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("demo@htpi.com", "wrong")]
    [InlineData("nobody@htpi.com", "demo123")]
    [InlineData("john@example.com", "demo123")]
    public async Task Login_WrongCredentials_AnswersInvalidEmailOrPassword(string email, string password)
    {
        var clientId = TestClient.NewClientId();

        var answer = await _client.LoginAsync(email, password, clientId);

        Assert.False((bool)answer["success"]!);
        Assert.Equal(clientId, (string?)answer["clientId"]);
        Assert.Equal("Invalid email or password", (string?)answer["error"]);
        Assert.Null(answer["token"]);
        Assert.Null(answer["user"]);
    }

    [Theory]
    [InlineData("bad.id")]
    [InlineData("bad*")]
    [InlineData("")]
    [InlineData("bad\n")]
    public async Task Login_InvalidClientId_IsIgnored(string clientId)
    {
        // Listen on everything a broken subject could land on.
        await using var sub = await _client.Nats.SubscribeCoreAsync<byte[]>("customer.auth.response.>");
        var body = new JsonObject { ["email"] = "demo@htpi.com", ["password"] = "demo123", ["portal"] = "customer", ["clientId"] = clientId };
        await _client.Nats.PublishAsync("htpi.auth.login", TestClient.Encode(body));

        // A valid login afterwards proves the service is alive and has handled the bad one first.
        var marker = TestClient.NewClientId();
        await _client.LoginAsync("demo@htpi.com", "demo123", marker);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var first = await sub.Msgs.ReadAsync(cts.Token);

        Assert.Equal($"customer.auth.response.{marker}", first.Subject);
    }

    [Fact]
    public async Task Login_ClientIdOver64Chars_IsIgnored()
    {
        var answer = await _client.PublishAndWaitAsync("htpi.auth.login",
            new JsonObject { ["email"] = "demo@htpi.com", ["password"] = "demo123", ["clientId"] = new string('a', 65) },
            $"customer.auth.response.{new string('a', 65)}", wait: TimeSpan.FromMilliseconds(500));

        Assert.Null(answer);
    }

    [Fact]
    public async Task Verify_IssuedToken_AnswersValidWithSnakeCaseUserId()
    {
        var (userId, token) = await _client.SessionAsync("john@example.com", "password123");

        var answer = await _client.RequestAsync("htpi.auth.verify", new JsonObject { ["token"] = token }, token);

        Assert.True((bool)answer["valid"]!);
        Assert.Equal(userId, (string?)answer["user_id"]);
        Assert.Equal("john@example.com", (string?)answer["email"]);
        Assert.Equal("customer", (string?)answer["portal"]);
        Assert.NotNull(answer["role"]);
    }

    [Fact]
    public async Task Verify_UnknownToken_AnswersInvalidWithError()
    {
        var answer = await _client.RequestAsync("htpi.auth.verify", new JsonObject { ["token"] = "not-a-token" }, null);

        Assert.False((bool)answer["valid"]!);
        Assert.NotNull(answer["error"]);
    }
}
