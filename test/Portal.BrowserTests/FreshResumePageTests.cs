using System.Text;
using Microsoft.Playwright;
using NATS.Client.JetStream;
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

    [Fact]
    public async Task Resume_PastTheGrace_OnJetStream_ReplaysWhatWasMissedAndReloadsNothing()
    {
        // The history is in JetStream: a page whose session is gone (as when it moves to another node)
        // still gets what it missed, from the stream, and keeps its page as it is.
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true, new Dictionary<string, string> { ["RESUME_GRACE_SECONDS"] = "1" }, jetStream: true);
        await using var session = await fixture.OpenAsync(nameof(Resume_PastTheGrace_OnJetStream_ReplaysWhatWasMissedAndReloadsNothing), portal: portal);
        var page = session.Page;
        var link = await HubLink.RouteAsync(page);
        var frames = CollectHubFrames(page);
        await LoginAsync(page, "demo@htpi.com", "demo123");
        await OpenPatientsAsync(page, "Mercy General Hospital");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);

        await link.CutAsync();
        await Eventually.HoldsAsync(async () => await portal.HeldSessionsAsync() == 1);
        await Eventually.HoldsAsync(async () => await portal.HeldSessionsAsync() == 0);
        await using (var nats = portal.Client())
        {
            (await new NatsJSContext(nats).PublishAsync("customer.broadcast.patients.tenant-001", Encoding.UTF8.GetBytes("""
                {"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-001-77","firstName":"Mina","lastName":"Okafor","dateOfBirth":"1990-01-01","tenantId":"tenant-001"}}
                """))).EnsureSuccess();
        }

        await link.RestoreAsync();

        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15000 });
        await Expect(page.Locator("#patient-rows tr", new() { HasText = "Mina Okafor" })).ToBeVisibleAsync();
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);
        Assert.Contains(frames.Received, f => f.Contains("\"target\":\"auth:resume:response\"", StringComparison.Ordinal)
            && f.Contains("\"recovered\":true", StringComparison.Ordinal));
        Assert.Contains(frames.Sent, f => f.Contains("auth:resume", StringComparison.Ordinal) && f.Contains("\"subscriptions\"", StringComparison.Ordinal)
            && f.Contains("\"epoch\"", StringComparison.Ordinal));
        Assert.Equal(1, Invocations(frames.Sent, "patients:subscribe"));
        Assert.Equal(1, Invocations(frames.Received, "patients:list"));
    }
}
