using System.Text;
using Microsoft.Playwright;
using NATS.Client.Core;
using Portal.BrowserTests.Infrastructure;
using Portal.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>The header's connection indicator, driven by <c>connection:status {nats}</c>, on a portal whose nats-server the test kills.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConnectionStatusPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ConnectionIndicator_NatsKilledThenRestarted_ShowsDegradedThenConnectedAndTheFeedCarriesOn()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var session = await fixture.OpenAsync(nameof(ConnectionIndicator_NatsKilledThenRestarted_ShowsDegradedThenConnectedAndTheFeedCarriesOn), portal: portal);
        var page = session.Page;
        var problems = CollectProblems(page);
        var frames = CollectHubFrames(page);
        var indicator = page.Locator("#connection-status");

        await LoginAsync(page, "john@example.com", "password123");
        await OpenPatientsAsync(page, "Mercy General Hospital");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        await Expect(indicator).ToHaveAttributeAsync("data-state", "connected");
        await Expect(indicator).ToHaveTextAsync("Connected");
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        portal.KillNats();
        await Expect(indicator).ToHaveAttributeAsync("data-state", "degraded", new() { Timeout = 10000 });
        await Expect(indicator).ToHaveTextAsync("Degraded: live updates paused");
        await Expect(indicator).ToHaveAttributeAsync("role", "status");

        portal.RestartNats();
        await Expect(indicator).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 20000 });
        await Expect(indicator).ToHaveTextAsync("Connected");

        // Same page, no reload.
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded");

        // The restarted feed pushes a fresh snapshot once it listens again; a broadcast after it shows up live.
        await Eventually.HoldsAsync(() => Task.FromResult(Invocations(frames.Received, "patients:list") >= 2), TimeSpan.FromSeconds(20));
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        await using var nats = portal.Client();
        await nats.PublishAsync("customer.broadcast.patients.tenant-001", Encoding.UTF8.GetBytes(
            """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-001-95","tenantId":"tenant-001","firstName":"Katherine","lastName":"Johnson","dateOfBirth":"1918-08-26","mrn":"MRN-001-1095"}}"""));
        await Expect(page.Locator("tr[data-patient-id='p-001-95']")).ToBeVisibleAsync(new() { Timeout = 2000 });
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);

        Assert.Empty(problems);
    }
}
