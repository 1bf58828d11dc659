using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>
/// The hub over MessagePack, played by the stock .NET client with <c>AddMessagePackProtocol()</c> beside
/// a JSON client: the same flow gives the same pushes, field for field, and bad input is refused the
/// portal's way.
/// </summary>
[Collection(PortalWithDemoCollection.Name)]
public sealed class MessagePackTests(PortalWithDemoFixture fixture)
{
    [Fact]
    public async Task MessagePack_LoginSelectSubscribeAndBroadcast_SamePushesAsJson()
    {
        await using var json = await fixture.ConnectAsync(WireProtocol.Json);
        await using var messagePack = await fixture.ConnectAsync(WireProtocol.MessagePack);
        AssertSameKeys(json.All.First().Payload, messagePack.All.First().Payload);

        var logins = await Task.WhenAll(
            json.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123", requestId = "mp-login" }),
            messagePack.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123", requestId = "mp-login" }));
        Assert.True(logins[1].GetProperty("success").GetBoolean());
        Assert.Equal("mp-login", logins[1].GetProperty("requestId").GetString());
        AssertSameKeys(logins[0], logins[1]); // tokens differ per login, names must not

        var selected = await Task.WhenAll(
            json.AskAsync("user:tenant:select", new { tenantId = "tenant-001" }),
            messagePack.AskAsync("user:tenant:select", new { tenantId = "tenant-001" }));
        AssertSame(selected[0], selected[1]);
        Assert.False(selected[1].TryGetProperty("error", out _), "null members are omitted, not sent as nil");

        await json.CallAsync("patients:subscribe");
        var jsonList = (await json.NextAsync(EventNames.PatientsListed)).Payload;
        await messagePack.CallAsync("patients:subscribe");
        var messagePackList = (await messagePack.NextAsync(EventNames.PatientsListed)).Payload;
        Assert.True(messagePackList.GetArrayLength() > 0);
        AssertSame(jsonList, messagePackList);

        await using var nats = fixture.Nats();
        var broadcast = """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-mp-1","firstName":"Zoë","lastName":"Packed","visits":3,"balance":12.5,"insurance":null}}""";
        await nats.PublishAsync("customer.broadcast.patients.tenant-001", Encoding.UTF8.GetBytes(broadcast));
        var live = await Task.WhenAll(
            json.NextAsync(EventNames.PatientsNew, p => p.Payload.GetProperty("id").GetString() == "p-mp-1"),
            messagePack.NextAsync(EventNames.PatientsNew, p => p.Payload.GetProperty("id").GetString() == "p-mp-1"));
        AssertSame(live[0].Payload, live[1].Payload);
        Assert.Equal("Zoë", live[1].Payload.GetProperty("firstName").GetString());
        Assert.True(live[1].Second!.Value.GetProperty("seq").GetInt64() >= 1);
        AssertSame(live[0].Second!.Value, live[1].Second!.Value);
    }

    [Fact]
    public async Task MessagePack_UnknownMethodOversizedAndMalformedArguments_RefusedAndTheSocketStaysUsable()
    {
        await using var client = await fixture.ConnectAsync(WireProtocol.MessagePack);

        await client.CallAsync("no:such:method", new { });
        Assert.Equal(ErrorCodes.InvalidArgument, (await client.ErrorAsync("no:such:method")).GetProperty("code").GetString());

        await client.CallAsync("auth:login", new Dictionary<int, string> { [1] = "not a JSON object key" });
        Assert.Equal(ErrorCodes.InvalidArgument, (await client.ErrorAsync("auth:login")).GetProperty("code").GetString());

        await client.CallAsync("auth:resume", new byte[] { 1, 2, 3 });
        Assert.Equal(ErrorCodes.InvalidArgument, (await client.ErrorAsync("auth:resume")).GetProperty("code").GetString());

        await client.Connection.InvokeAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" }, "two arguments");
        Assert.Equal(ErrorCodes.InvalidArgument, (await client.ErrorAsync("auth:login")).GetProperty("code").GetString());

        // Over 64 KiB of argument: refused as the contract says, the socket not closed.
        await client.CallAsync("auth:login", new { email = new string('x', 70 * 1024), password = "x" });
        Assert.Equal(ErrorCodes.PayloadTooLarge, (await client.ErrorAsync("auth:login")).GetProperty("code").GetString());

        // Each refused auth:login was also answered with success: false; this one is told by its requestId.
        await client.CallAsync("auth:login", new { email = "john@example.com", password = "password123", requestId = "after" });
        var login = await client.NextAsync(EventNames.ResponseOf("auth:login"), p => p.Payload.TryGetProperty("requestId", out var id) && id.GetString() == "after");
        Assert.True(login.Payload.GetProperty("success").GetBoolean());
        Assert.True((await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" })).GetProperty("success").GetBoolean());
    }

    private static void AssertSame(JsonElement json, JsonElement messagePack) =>
        Assert.True(JsonElement.DeepEquals(json, messagePack), $"JSON {json.GetRawText()} but MessagePack {messagePack.GetRawText()}");

    /// <summary>The same property names at every level (values may differ, e.g. tokens).</summary>
    private static void AssertSameKeys(JsonElement json, JsonElement messagePack)
    {
        Assert.Equal(json.ValueKind, messagePack.ValueKind);
        if (json.ValueKind == JsonValueKind.Object)
        {
            Assert.Equal(json.EnumerateObject().Select(p => p.Name), messagePack.EnumerateObject().Select(p => p.Name));
            foreach (var property in json.EnumerateObject())
            {
                AssertSameKeys(property.Value, messagePack.GetProperty(property.Name));
            }
        }
    }
}
