using Microsoft.Playwright;
using Portal.BrowserTests.Infrastructure;
using Portal.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>
/// A page whose session is no longer held (past the grace period, or on another node) resumes with the
/// tenant it had: the portal verifies and restores it, so the page selects nothing again.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FreshResumePageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Resume_PastTheGrace_RestoresTheOrganizationWithoutSelectingItAgain()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true, new Dictionary<string, string> { ["RESUME_GRACE_SECONDS"] = "1" });
        await using var session = await fixture.OpenAsync(nameof(Resume_PastTheGrace_RestoresTheOrganizationWithoutSelectingItAgain), portal: portal);
        var page = session.Page;
        var link = await HubLink.RouteAsync(page);
        var frames = CollectHubFrames(page);
        await LoginAsync(page, "demo@htpi.com", "demo123");
        await OpenPatientsAsync(page, "Mercy General Hospital");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        var selects = Invocations(frames.Sent, "user:tenant:select");

        await link.CutAsync();
        await Eventually.HoldsAsync(async () => await portal.HeldSessionsAsync() == 1);
        await Eventually.HoldsAsync(async () => await portal.HeldSessionsAsync() == 0);
        await link.RestoreAsync();

        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15000 });
        await Eventually.HoldsAsync(() => Task.FromResult(Invocations(frames.Sent, "patients:subscribe") >= 2));
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        Assert.Equal(selects, Invocations(frames.Sent, "user:tenant:select"));
        Assert.Contains(frames.Sent, f => f.Contains("auth:resume", StringComparison.Ordinal) && f.Contains("tenant-001", StringComparison.Ordinal));
    }
}
