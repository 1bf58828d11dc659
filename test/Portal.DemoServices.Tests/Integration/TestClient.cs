using System.Text;
using System.Text.Json.Nodes;
using NATS.Client.Core;

namespace Portal.DemoServices.Tests.Integration;

/// <summary>A plain NATS client speaking the contract the way the portal should.</summary>
public sealed class TestClient : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private TestClient(NatsConnection nats) => Nats = nats;

    public NatsConnection Nats { get; }

    public static async Task<TestClient> ConnectAsync(string url)
    {
        var nats = new NatsConnection(NatsOpts.Default with { Url = url, Name = "demo-tests" });
        await nats.ConnectAsync();
        return new TestClient(nats);
    }

    public static string NewClientId() => "t" + Guid.NewGuid().ToString("N");

    public static byte[] Encode(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static JsonObject Decode(byte[]? data) => JsonNode.Parse(data ?? [])!.AsObject();

    /// <summary>Publishes on <paramref name="subject"/> and waits for the answer on <paramref name="answerSubject"/>.</summary>
    public async Task<JsonObject?> PublishAndWaitAsync(string subject, JsonObject body, string answerSubject, string? token = null, TimeSpan? wait = null)
    {
        await using var sub = await Nats.SubscribeCoreAsync<byte[]>(answerSubject);
        await Nats.PublishAsync(subject, Encode(body), headers: Headers(token));
        using var cts = new CancellationTokenSource(wait ?? Timeout);
        try
        {
            var msg = await sub.Msgs.ReadAsync(cts.Token);
            return Decode(msg.Data);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async Task<JsonObject> LoginAsync(string email, string password, string? clientId = null)
    {
        clientId ??= NewClientId();
        var body = new JsonObject
        {
            ["email"] = email,
            ["password"] = password,
            ["portal"] = "customer",
            ["clientId"] = clientId,
            ["requestId"] = Guid.NewGuid().ToString("N"),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        };
        return await PublishAndWaitAsync("htpi.auth.login", body, $"customer.auth.response.{clientId}")
            ?? throw new TimeoutException("no login answer");
    }

    /// <summary>Logs in and returns the user id and token, as the portal would keep them.</summary>
    public async Task<(string UserId, string Token)> SessionAsync(string email, string password)
    {
        var answer = await LoginAsync(email, password);
        return ((string)answer["user"]!["id"]!, (string)answer["token"]!);
    }

    public async Task<JsonObject> RequestAsync(string subject, JsonObject body, string? token)
    {
        var reply = await Nats.RequestAsync<byte[], byte[]>(subject, Encode(body), headers: Headers(token),
            replyOpts: new NatsSubOpts { Timeout = Timeout });
        return Decode(reply.Data);
    }

    public async ValueTask DisposeAsync() => await Nats.DisposeAsync();

    private static NatsHeaders? Headers(string? token) =>
        token is null ? null : new NatsHeaders { ["Authorization"] = $"Bearer {token}" };
}
