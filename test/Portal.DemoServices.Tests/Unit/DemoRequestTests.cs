namespace Portal.DemoServices.Tests.Unit;

public sealed class DemoRequestTests
{
    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public void Parse_NotAnObject_GivesEmptyBody(string payload)
    {
        var request = DemoRequest.Parse("s", System.Text.Encoding.UTF8.GetBytes(payload), null);

        Assert.Empty(request.Body);
    }

    [Fact]
    public void String_NumberWhereIdBelongs_IsNull()
    {
        var request = DemoRequest.Parse("s", """{"tenantId": 1, "userId": "u"}"""u8, null);

        Assert.Null(request.String("tenantId"));
        Assert.Equal("u", request.String("userId"));
    }

    [Theory]
    [InlineData("Bearer abc", "abc")]
    [InlineData("bearer abc ", "abc")]
    [InlineData("Basic abc", null)]
    [InlineData("Bearer ", null)]
    [InlineData(null, null)]
    public void BearerFrom_Header_ExtractsToken(string? header, string? expected) =>
        Assert.Equal(expected, DemoRequest.BearerFrom(header));

    [Theory]
    [InlineData("nats://127.0.0.1:4222", "nats://127.0.0.1:4222")]
    [InlineData("nats://user:secret@host:4222", "nats://***@host:4222")]
    [InlineData("nats://a:b@h1:1, nats://h2:2", "nats://***@h1:1,nats://h2:2")]
    public void Redact_UrlWithCredentials_HidesThem(string url, string expected) =>
        Assert.Equal(expected, DisplayUrl.Redact(url));
}
