using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Portal.Host.Protocols;
using Portal.Protocol.Browser;

namespace Portal.IntegrationTests.Protocols;

/// <summary>
/// The MessagePack side of the hub without a server: values through <see cref="JsonBridgeResolver"/>, and
/// whole hub frames of both protocols compared, decoding MessagePack with the library's own
/// <see cref="MessagePackSerializer.ConvertToJson(ReadOnlyMemory{byte}, MessagePackSerializerOptions?, CancellationToken)"/>.
/// </summary>
public sealed class JsonBridgeTests
{
    private static readonly JsonHubProtocolOptions JsonOptions = PortalJsonOptions();
    private static readonly MessagePackSerializerOptions Bridge = JsonBridgeResolver.SerializerOptions(JsonOptions.PayloadSerializerOptions);

    [Theory]
    [InlineData("""{"a":{"b":[1,-2,[true,false,null],{"c":"d"}]},"e":[]}""")]
    [InlineData("""[0,127,128,-33,65535,4294967296,-9223372036854775808,9223372036854775807]""")]
    [InlineData("""[0.5,-1.25,1e300,3.141592653589793]""")]
    [InlineData("""{"name":"Zoë Ångström","emoji":"🩺","escaped":"line\nquote\"back\\slash\ttab\u00e9","ключ":"значение"}""")]
    [InlineData("""{"nothing":null,"empty":"","zero":0,"list":[null]}""")]
    [InlineData("\"just a string\"")]
    [InlineData("null")]
    public void JsonElement_RoundTrip_SameValueAndJsonFormOnTheWire(string json)
    {
        var original = JsonElement.Parse(json);

        var bytes = MessagePackSerializer.Serialize(original, Bridge);
        var back = MessagePackSerializer.Deserialize<JsonElement>(bytes, Bridge);

        Assert.True(JsonElement.DeepEquals(original, back), $"{json} came back as {back.GetRawText()}");
        Assert.True(JsonElement.DeepEquals(original, JsonElement.Parse(MessagePackSerializer.ConvertToJson(bytes))));
    }

    [Fact]
    public void JsonElement_Numbers_IntegersWhenTheyFitInt64ElseDoubles()
    {
        var bytes = MessagePackSerializer.Serialize(JsonElement.Parse("[42,-7,2.5,18446744073709551615]"), Bridge);

        var reader = new MessagePackReader(bytes);
        Assert.Equal(4, reader.ReadArrayHeader());
        Assert.Equal(MessagePackType.Integer, reader.NextMessagePackType);
        Assert.Equal(42, reader.ReadInt64());
        Assert.Equal(-7, reader.ReadInt64());
        Assert.Equal(MessagePackType.Float, reader.NextMessagePackType);
        Assert.Equal(2.5, reader.ReadDouble());
        Assert.Equal(MessagePackType.Float, reader.NextMessagePackType);
        Assert.Equal(18446744073709551615d, reader.ReadDouble());
    }

    [Fact]
    public void Deserialize_JsonElement_RawUtf8IsTheCompactJsonTheHubMeasures()
    {
        var bytes = MessagePackSerializer.Serialize(JsonElement.Parse("""{ "patient" : { "firstName" : "Zoë", "tags" : [ 1, 2 ] } }"""), Bridge);

        var element = MessagePackSerializer.Deserialize<JsonElement>(bytes, Bridge);

        const string Compact = """{"patient":{"firstName":"Zoë","tags":[1,2]}}""";
        Assert.Equal(Compact, Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element)));
    }

    public static TheoryData<object> Pushes() => new()
    {
        new ErrorPush("invalid_argument", "Bad call.", null, null),
        new ErrorPush("forbidden", "Not yours.", "r-1", "patients:view"),
        new SuccessResponse(true, null, null),
        new SeqInfo(long.MaxValue, "node-0123456789abcdef"),
        new ConnectedPush("Connected to HTPI customer portal", "abc"),
        new ConnectionStatusPush(ConnectionStatusPush.Degraded),
        new LoginResponse(true, new SessionUser("u1", "demo@htpi.com", null, "customer", JsonElement.Parse("""["tenant-001"]""")), "token", null, "r-2"),
        new ResumeResponse(true, null, "tenant-001", ["dashboard", "patients"], false, null, null),
        new PatientResponse(true, JsonElement.Parse("""{"id":"p-1","firstName":"Zoë","insurance":null,"visits":[1,2.5]}"""), null, "r-3"),
        JsonElement.Parse("""[{"id":"p-1","lastName":"Doe"},{"id":"p-2","tenantId":"tenant-001"}]"""),
        "portal:refuse",
    };

    [Theory]
    [MemberData(nameof(Pushes))]
    public void WriteMessage_APush_MessagePackFrameHasTheJsonFramesArgumentKeyForKey(object push)
    {
        var invocation = new InvocationMessage("error", [push, new SeqInfo(7, "node-0123456789abcdef")]);

        var json = JsonArguments(new JsonHubProtocol(Options.Create(JsonOptions)).GetMessageBytes(invocation));
        var messagePack = MessagePackArguments(new MessagePackHubProtocol(Options.Create(new MessagePackHubProtocolOptions { SerializerOptions = Bridge })).GetMessageBytes(invocation));

        Assert.True(JsonElement.DeepEquals(json, messagePack), $"JSON {json.GetRawText()} but MessagePack {messagePack.GetRawText()}");
    }

    [Fact]
    public void Serialize_ErrorPushWithoutOptionals_CamelCaseKeysAndNoNils()
    {
        var bytes = MessagePackSerializer.Serialize(new ErrorPush("rate_limited", "Slow down.", null, null), Bridge);

        var map = Assert.IsType<Dictionary<object, object>>(MessagePackSerializer.Deserialize<object>(bytes, MessagePackSerializerOptions.Standard));
        Assert.Equal(["code", "message"], map.Keys.Cast<string>());
        Assert.Equal("rate_limited", map["code"]);
    }

    [Fact]
    public void Deserialize_AnonymousObjectFromTheStandardResolver_JsonElementWithItsKeys()
    {
        // What a MessagePack client sends for `{ email, password }`.
        var bytes = MessagePackSerializer.Serialize(new Dictionary<string, object?> { ["email"] = "demo@htpi.com", ["lastSeq"] = new Dictionary<string, object> { ["patients"] = 3 }, ["requestId"] = null }, MessagePackSerializerOptions.Standard);

        var element = MessagePackSerializer.Deserialize<JsonElement>(bytes, Bridge);

        Assert.Equal("demo@htpi.com", element.GetProperty("email").GetString());
        Assert.Equal(3, element.GetProperty("lastSeq").GetProperty("patients").GetInt64());
        Assert.Equal(JsonValueKind.Null, element.GetProperty("requestId").ValueKind);
    }

    public static TheoryData<string, byte[]> Malformed() => new()
    {
        { "map key of type Integer", MessagePackSerializer.Serialize(new Dictionary<int, string> { [1] = "one" }, MessagePackSerializerOptions.Standard) },
        { "value of type Binary", MessagePackSerializer.Serialize(new Dictionary<string, byte[]> { ["blob"] = [1, 2, 3] }, MessagePackSerializerOptions.Standard) },
        { "value of type Extension", MessagePackSerializer.Serialize(new Dictionary<string, DateTime> { ["at"] = DateTime.UnixEpoch }, MessagePackSerializerOptions.Standard) },
        { "NaN or infinite", MessagePackSerializer.Serialize(new Dictionary<string, double> { ["x"] = double.NaN }, MessagePackSerializerOptions.Standard) },
        { "", [0x82, 0xa1, (byte)'a', 0x01] }, // a map of two entries that ends after one
        { "", [0xc1] }, // a byte MessagePack never uses
        { "", Nested(600) }, // deeper than any argument may be
        { "", Nested(65) }, // deeper than the JSON protocol reads (64)
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Deserialize_MalformedMessagePack_ThrowsMessagePackSerializationException(string says, byte[] bytes)
    {
        var e = Assert.Throws<MessagePackSerializationException>(() => MessagePackSerializer.Deserialize<JsonElement>(bytes, Bridge));
        Assert.Contains(says, e.InnerException?.Message ?? e.Message, StringComparison.Ordinal);
    }

    private static JsonHubProtocolOptions PortalJsonOptions()
    {
        var options = new JsonHubProtocolOptions();
        PortalHubJson.Configure(options.PayloadSerializerOptions);
        return options;
    }

    private static byte[] Nested(int depth)
    {
        var bytes = new byte[depth + 1];
        Array.Fill(bytes, (byte)0x91); // an array of one element, depth times
        bytes[^1] = 0xc0;
        return bytes;
    }

    // A JSON hub frame ends with the record separator 0x1e.
    private static JsonElement JsonArguments(ReadOnlyMemory<byte> frame) =>
        JsonElement.Parse(frame.Span[..^1]).GetProperty("arguments");

    // A MessagePack hub frame is a varint length, then [type, headers, invocationId, target, arguments].
    private static JsonElement MessagePackArguments(ReadOnlyMemory<byte> frame)
    {
        var prefix = 0;
        while ((frame.Span[prefix++] & 0x80) != 0)
        {
        }

        var message = JsonElement.Parse(MessagePackSerializer.ConvertToJson(frame[prefix..]));
        Assert.Equal(1, message[0].GetInt32());
        return message[4];
    }
}
