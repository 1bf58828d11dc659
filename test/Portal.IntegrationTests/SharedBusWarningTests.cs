using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>Standalone mode pointed at a NATS the portal did not start (allowed outside production): said once, loudly.</summary>
public sealed class SharedBusWarningTests
{
    private const string Warning = "answer demo logins, an admin among them";

    [Fact]
    public async Task Standalone_WithExternalNatsUrlInDevelopment_WarnsOnceThatDemoLoginsAreAnsweredThere()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false, new Dictionary<string, string> { ["STANDALONE_MODE"] = "true" });

        var warning = Assert.Single(portal.Portal.Logs.Lines, l => l.Contains(Warning, StringComparison.Ordinal));
        Assert.StartsWith("Warning ", warning, StringComparison.Ordinal);
        Assert.Contains(portal.Nats.Url, warning, StringComparison.Ordinal);

        // And that is true: the in-process demo services answer a demo login on that NATS.
        await using var client = await portal.ConnectAsync();
        var login = await client.AskAsync(EventNames.AuthLogin, new { email = "demo@htpi.com", password = "demo123", requestId = "r-1" });
        Assert.True(login.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task NotStandalone_WithNatsUrl_DoesNotWarn()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false);

        Assert.DoesNotContain(portal.Portal.Logs.Lines, l => l.Contains(Warning, StringComparison.Ordinal));
    }
}
