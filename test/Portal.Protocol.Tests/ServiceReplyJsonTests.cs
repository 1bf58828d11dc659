using System.Text.Json;
using Portal.Protocol.Browser;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;
using static Portal.Protocol.Tests.JsonAssert;

namespace Portal.Protocol.Tests;

/// <summary>What the portal reads: the service answers of PROTOCOL.md §2, as the services write them.</summary>
public class ServiceReplyJsonTests
{
    [Fact]
    public void TryFromUtf8_AuthLoginReplySuccess_ReadsEveryField()
    {
        var reply = PortalJson.TryFromUtf8<AuthLoginReply>(Utf8(
            """{"success":true,"clientId":"abc","user":{"id":"u1","email":"demo@htpi.com","name":"Demo","role":"customer","tenants":["tenant-001"]},"token":"t"}"""));

        Assert.NotNull(reply);
        Assert.True(reply.Success);
        Assert.Equal("abc", reply.ClientId);
        Assert.Equal("t", reply.Token);
        Assert.Null(reply.Error);
        Assert.NotNull(reply.User);
        Assert.Equal("u1", reply.User.Id);
        Assert.Equal("demo@htpi.com", reply.User.Email);
        Assert.Equal("Demo", reply.User.Name);
        Assert.Equal("customer", reply.User.Role);
        Assert.Equal(["tenant-001"], reply.User.Tenants!.Value.EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public void TryFromUtf8_AuthLoginReplyFailure_ReadsError()
    {
        var reply = PortalJson.TryFromUtf8<AuthLoginReply>(Utf8("""{"success":false,"clientId":"abc","error":"Invalid credentials"}"""));

        Assert.NotNull(reply);
        Assert.False(reply.Success);
        Assert.Equal("abc", reply.ClientId);
        Assert.Equal("Invalid credentials", reply.Error);
        Assert.Null(reply.User);
        Assert.Null(reply.Token);
    }

    [Fact]
    public void TryFromUtf8_AuthLoginReplyWithUnknownFields_Ignored()
    {
        var reply = PortalJson.TryFromUtf8<AuthLoginReply>(Utf8("""{"success":true,"token":"t","expiresIn":3600,"extra":{"a":[1]}}"""));

        Assert.NotNull(reply);
        Assert.Equal("t", reply.Token);
    }

    [Fact]
    public void TryFromUtf8_AuthLoginReplyWithoutSuccess_NotSuccessful()
    {
        var reply = PortalJson.TryFromUtf8<AuthLoginReply>(Utf8("""{"token":"t"}"""));

        Assert.NotNull(reply);
        Assert.False(reply.Success);
    }

    [Fact]
    public void TryFromUtf8_AuthVerifyReplyValid_ReadsSnakeCaseUserId()
    {
        var reply = PortalJson.TryFromUtf8<AuthVerifyReply>(Utf8(
            """{"valid":true,"user_id":"u1","email":"demo@htpi.com","role":"customer","portal":"customer"}"""));

        Assert.Equal(new AuthVerifyReply(true, "u1", "demo@htpi.com", "customer", "customer", null), reply);
    }

    [Fact]
    public void TryFromUtf8_AuthVerifyReplyInvalid_ReadsError()
    {
        var reply = PortalJson.TryFromUtf8<AuthVerifyReply>(Utf8("""{"valid":false,"error":"Token expired"}"""));

        Assert.Equal(new AuthVerifyReply(false, null, null, null, null, "Token expired"), reply);
    }

    [Fact]
    public void TryFromUtf8_AuthVerifyReplyWithoutValid_NotValid()
    {
        var reply = PortalJson.TryFromUtf8<AuthVerifyReply>(Utf8("""{"user_id":"u1"}"""));

        Assert.NotNull(reply);
        Assert.False(reply.Valid);
    }

    [Fact]
    public void ToUtf8_AuthVerifyReply_WritesSnakeCaseUserId() => Equal(
        """{"valid":true,"user_id":"u1","email":"demo@htpi.com"}""",
        PortalJson.ToUtf8(new AuthVerifyReply(true, "u1", "demo@htpi.com", null, null, null)));

    [Theory]
    [InlineData("""{"hasAccess":true,"userId":"u1","tenantId":"tenant-001"}""", true)]
    [InlineData("""{"hasAccess":false,"userId":"u1","tenantId":"tenant-001"}""", false)]
    public void TryFromUtf8_TenantAccessReply_ReadsEveryField(string json, bool hasAccess) =>
        Assert.Equal(new TenantAccessReply(hasAccess, "u1", "tenant-001"), PortalJson.TryFromUtf8<TenantAccessReply>(Utf8(json)));

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"userId":"u1","tenantId":"tenant-001"}""")]
    [InlineData("""{"hasAccess":null}""")]
    public void TryFromUtf8_TenantAccessReplyWithoutHasAccess_NoAccess(string json)
    {
        var reply = PortalJson.TryFromUtf8<TenantAccessReply>(Utf8(json));

        Assert.False(reply?.HasAccess ?? false);
    }

    [Fact]
    public void TryFromUtf8_TenantListReply_TenantsKeptAsTheServiceSentThem()
    {
        const string Tenants =
            """[{"id":"tenant-001","name":"Mercy General Hospital","status":"active","settings":{"theme":"blue"},"created_at":"2024-01-01T00:00:00Z"},{"id":"tenant-002","name":"Springfield Clinic","status":"active","settings":{},"created_at":"2024-02-01T00:00:00Z"}]""";

        var reply = PortalJson.TryFromUtf8<TenantListReply>(Utf8($$"""{"success":true,"tenants":{{Tenants}},"clientId":"abc"}"""));

        Assert.NotNull(reply);
        Assert.True(reply.Success);
        Assert.Equal("abc", reply.ClientId);
        Assert.Null(reply.Error);
        var tenants = reply.Tenants!.Value;
        Assert.Equal(2, tenants.GetArrayLength());
        Assert.Equal("2024-01-01T00:00:00Z", tenants[0].GetProperty("created_at").GetString());
        Assert.Equal("Springfield Clinic", tenants[1].GetProperty("name").GetString());

        // Passed on to the browser untouched, snake_case included.
        Equal($$"""{"tenants":{{Tenants}},"requestId":"r-1"}""", PortalJson.ToUtf8(new TenantsListResponse(tenants, null, "r-1")));
    }

    [Fact]
    public void TryFromUtf8_TenantListReplyFailure_ReadsError()
    {
        var reply = PortalJson.TryFromUtf8<TenantListReply>(Utf8("""{"success":false,"clientId":"abc","error":"User not found"}"""));

        Assert.NotNull(reply);
        Assert.False(reply.Success);
        Assert.Null(reply.Tenants);
        Assert.Equal("User not found", reply.Error);
    }

    [Fact]
    public void TryFromUtf8_SessionRevoked_RoundTrips()
    {
        var revoked = new SessionRevoked("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");

        Assert.Equal(revoked, PortalJson.TryFromUtf8<SessionRevoked>(PortalJson.ToUtf8(revoked)));
    }

    public static TheoryData<byte[]> Malformed => new()
    {
        Array.Empty<byte>(),
        Utf8(" "),
        Utf8("{"),
        Utf8("}"),
        Utf8("not json"),
        Utf8("""{"success":true"""),
        Utf8("""{"success":true,}"""),
        Utf8("""{'success':true}"""),
        Utf8("""{success:true}"""),
        Utf8("""{"success":true} trailing"""),
        Utf8("""{"success":true}{"success":true}"""),
        Utf8("[]"),
        Utf8("""[{"success":true}]"""),
        Utf8("\"success\""),
        Utf8("42"),
        Utf8("true"),
        new byte[] { 0xFF, 0xFE, 0x00 },
        Utf8(new string('[', 1_000) + new string(']', 1_000)),
        Utf8(new string('{', 1) + string.Concat(Enumerable.Repeat("\"a\":{", 1_000)) + new string('}', 1_001)),
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryFromUtf8_MalformedJson_NullForEveryReplyType(byte[] body)
    {
        Assert.Null(PortalJson.TryFromUtf8<AuthLoginReply>(body));
        Assert.Null(PortalJson.TryFromUtf8<AuthVerifyReply>(body));
        Assert.Null(PortalJson.TryFromUtf8<TenantListReply>(body));
        Assert.Null(PortalJson.TryFromUtf8<TenantAccessReply>(body));
        Assert.Null(PortalJson.TryFromUtf8<SessionRevoked>(body));
    }

    [Theory]
    [InlineData("""{"success":"yes"}""")]
    [InlineData("""{"success":1}""")]
    [InlineData("""{"success":true,"token":42}""")]
    [InlineData("""{"success":true,"token":["t"]}""")]
    [InlineData("""{"success":true,"clientId":{}}""")]
    [InlineData("""{"success":true,"user":"u1"}""")]
    [InlineData("""{"success":true,"user":[]}""")]
    [InlineData("""{"success":true,"user":{"id":1}}""")]
    [InlineData("""{"success":true,"user":{"email":false}}""")]
    public void TryFromUtf8_AuthLoginReplyOfWrongShape_Null(string json) =>
        Assert.Null(PortalJson.TryFromUtf8<AuthLoginReply>(Utf8(json)));

    [Theory]
    [InlineData("""{"valid":"true"}""")]
    [InlineData("""{"valid":1}""")]
    [InlineData("""{"valid":true,"user_id":1}""")]
    [InlineData("""{"valid":true,"user_id":{"id":"u1"}}""")]
    [InlineData("""{"valid":true,"user_id":"u1","role":["admin"]}""")]
    public void TryFromUtf8_AuthVerifyReplyOfWrongShape_Null(string json) =>
        Assert.Null(PortalJson.TryFromUtf8<AuthVerifyReply>(Utf8(json)));

    [Theory]
    [InlineData("""{"hasAccess":"true"}""")]
    [InlineData("""{"hasAccess":1}""")]
    [InlineData("""{"hasAccess":[true]}""")]
    [InlineData("""{"hasAccess":true,"tenantId":1}""")]
    public void TryFromUtf8_TenantAccessReplyOfWrongShape_Null(string json) =>
        Assert.Null(PortalJson.TryFromUtf8<TenantAccessReply>(Utf8(json)));

    [Theory]
    [InlineData("""{"success":"true","tenants":[]}""")]
    [InlineData("""{"success":true,"tenants":[],"clientId":7}""")]
    [InlineData("""{"success":true,"tenants":[],"error":{}}""")]
    public void TryFromUtf8_TenantListReplyOfWrongShape_Null(string json) =>
        Assert.Null(PortalJson.TryFromUtf8<TenantListReply>(Utf8(json)));

    [Fact]
    public void TryFromUtf8_JsonNull_Null() => Assert.Null(PortalJson.TryFromUtf8<AuthLoginReply>(Utf8("null")));

    [Fact]
    public void TryFromUtf8_InvalidUtf8InsideAString_NullNotException()
    {
        byte[] body = [.. Utf8("""{"success":true,"token":"""), (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)'}'];

        Assert.Null(PortalJson.TryFromUtf8<AuthLoginReply>(body));
    }

    [Fact]
    public void TryFromUtf8_BrowserPushType_ReadsBack()
    {
        var push = new ErrorPush(ErrorCodes.Forbidden, "m", "r-1", EventNames.PatientsView);

        Assert.Equal(push, PortalJson.TryFromUtf8<ErrorPush>(PortalJson.ToUtf8(push)));
    }

    [Fact]
    public void TryFromUtf8_JsonElement_ReadsAnyJson()
    {
        var element = PortalJson.ToUtf8(JsonSerializer.Deserialize(Utf8("""{"a":[1,"b"]}"""), PortalJsonContext.Default.JsonElement));

        Equal("""{"a":[1,"b"]}""", element);
    }
}
