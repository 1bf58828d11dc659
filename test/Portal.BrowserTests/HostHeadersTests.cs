using System.Text.Json;
using Portal.BrowserTests.Infrastructure;

namespace Portal.BrowserTests;

/// <summary>What the host sends with the page: its Content-Security-Policy and the page's config.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HostHeadersTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/app.js")]
    [InlineData("/config.json")]
    public async Task Get_AnyPage_CarriesContentSecurityPolicyOfOwnScriptsAndHub(string path)
    {
        using var http = new HttpClient { BaseAddress = fixture.Address };
        using var response = await http.GetAsync(path);

        response.EnsureSuccessStatusCode();
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("style-src 'self';", csp);
        Assert.Contains($"connect-src 'self' ws://{fixture.Address.Authority} wss://{fixture.Address.Authority};", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task GetConfig_Development_SaysDemoModeAndNothingElse()
    {
        using var http = new HttpClient { BaseAddress = fixture.Address };
        using var config = JsonDocument.Parse(await http.GetStringAsync("/config.json"));

        Assert.True(config.RootElement.GetProperty("demo").GetBoolean());
        Assert.Single(config.RootElement.EnumerateObject());
    }

    [Theory]
    [InlineData("portal.example.com", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("evil; script-src *", false)]
    [InlineData("", false)]
    public void ContentSecurityPolicy_Host_OnlyWellFormedHostsBecomeSocketSources(string host, bool listed)
    {
        var csp = Portal.Host.Extensions.WebPageExtensions.ContentSecurityPolicy(host);

        Assert.Equal(listed, csp.Contains($"ws://{host} ", StringComparison.Ordinal) && host.Length > 0);
        Assert.DoesNotContain("script-src *", csp);
    }
}
