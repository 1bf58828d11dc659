using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>Frames the real client never sends: each gets the portal's own refusal and the socket carries on.</summary>
[Collection(PortalWithDemoCollection.Name)]
public sealed class BadInputTests(PortalWithDemoFixture fixture)
{
    [Theory]
    [InlineData("""{"type":1,"target":"no:such:method","arguments":[{}]}""", "no:such:method")]
    [InlineData("""{"type":1,"target":"\u0007bell","arguments":[{}]}""", "?bell")]
    [InlineData("""{"type":1,"target":"auth:login","arguments":[]}""", "auth:login")]
    [InlineData("""{"type":1,"target":"user:tenants:list","arguments":[{},{}]}""", "user:tenants:list")]
    [InlineData("""{"type":1,"invocationId":"7","target":"nope","arguments":[1]}""", "nope")]
    public async Task UnbindableCall_IsRefusedAsInvalidArgumentAndTheSocketStaysUsable(string frame, string method)
    {
        await using var socket = await RawHubSocket.ConnectAsync(fixture.Portal.Address);

        await socket.SendFrameAsync(frame);

        var error = (await socket.NextInvocationAsync(EventNames.Error))[0];
        Assert.Equal(ErrorCodes.InvalidArgument, error.GetProperty("code").GetString());
        Assert.Equal(method, error.GetProperty("method").GetString());

        await socket.SendAsync("auth:login", new { email = "john@example.com", password = "password123", requestId = "after" });
        var login = (await socket.NextInvocationAsync("auth:login:response", match: r => r.TryGetProperty("requestId", out var id) && id.GetString() == "after"))[0];
        Assert.True(login.GetProperty("success").GetBoolean());
    }
}
