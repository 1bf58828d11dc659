using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Protocol.Tests;

internal static class JsonAssert
{
    /// <summary>Same JSON as <paramref name="expected"/>: same names, same values, nothing more (property order aside).</summary>
    public static void Equal(string expected, byte[] actualUtf8)
    {
        var actual = Encoding.UTF8.GetString(actualUtf8);
        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)),
            $"Expected {expected}{Environment.NewLine}Actual   {actual}");
    }

    public static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);
}
