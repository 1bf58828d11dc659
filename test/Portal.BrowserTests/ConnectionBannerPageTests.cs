using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests.Infrastructure;
using Portal.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>
/// The page says when what it shows is not live: the browser is offline (Playwright's <c>setOffline</c>, which
/// also holds the open socket's frames, as a network that went away does), or the socket went silent (the
/// portal's 3 s keep-alive pings stop coming). A banner in the sticky header says since when nothing came, saving
/// is paused with the reason, and the page is live again by itself once the network is back.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConnectionBannerPageTests(BrowserFixture fixture, ITestOutputHelper output)
{
    private const string Mercy = "Mercy General Hospital";

    [Fact]
    public async Task Offline_SetOfflineThenOnline_BannerWithinThreeSecondsSavingPausedAndLiveAgainWithinFifteen()
    {
        await using var session = await fixture.OpenAsync(nameof(Offline_SetOfflineThenOnline_BannerWithinThreeSecondsSavingPausedAndLiveAgainWithinFifteen));
        var page = session.Page;
        var problems = CollectProblems(page);
        var frames = CollectHubFrames(page);
        var indicator = page.Locator("#connection-status");
        var banner = page.Locator("#connection-banner");

        await LoginAsync(page, "demo@htpi.com", "demo123");
        await OpenPatientsAsync(page, Mercy);
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        await Expect(indicator).ToHaveAttributeAsync("data-state", "connected");
        await Expect(banner).ToBeHiddenAsync();
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        // The portal pings every 3 s, so a silent socket can be told from a quiet one.
        var pingsBefore = Pings(frames);
        await Eventually.HoldsAsync(() => Task.FromResult(Pings(frames) >= pingsBefore + 2), TimeSpan.FromSeconds(10));

        await page.GetByRole(AriaRole.Button, new() { Name = "New patient" }).ClickAsync();
        await page.GetByLabel("First name").FillAsync("Grace");
        await page.GetByLabel("Last name").FillAsync("Hopper");
        await page.GetByLabel("Date of birth").FillAsync("1906-12-09");
        var submit = page.GetByRole(AriaRole.Button, new() { Name = "Add patient" });
        await Expect(submit).ToBeEnabledAsync();

        var offline = Stopwatch.StartNew();
        await page.Context.SetOfflineAsync(true);
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 3000 });
        output.WriteLine($"banner after {offline.ElapsedMilliseconds} ms offline");
        await Expect(banner.Locator(".conn-banner-line")).ToHaveTextAsync(
            new Regex(@"^Offline: live updates paused, last update (just now|\d+ s ago)$"));
        await Expect(indicator).ToHaveAttributeAsync("data-state", "offline");
        await Expect(indicator).ToHaveTextAsync("Offline: live updates paused");

        // Saving is paused, and the form says why next to its button; what was typed stays.
        await Expect(submit).ToBeDisabledAsync();
        await Expect(page.Locator("#add-patient-paused")).ToHaveTextAsync(
            "You are offline, so saving is paused. What you typed is kept; you can add the patient once you are back online.");
        await Expect(submit).ToHaveAttributeAsync("aria-describedby", "add-patient-paused");
        await Expect(page.GetByLabel("Last name")).ToHaveValueAsync("Hopper");

        // The time since the last update counts on while the page is offline (past the 9 s in which the page
        // gives up on the silent socket).
        await Expect(banner.Locator(".conn-banner-line")).ToHaveTextAsync(
            new Regex(@"^Offline: live updates paused, last update (1[2-9]|[2-9]\d) s ago$"), new() { Timeout = 20000 });
        await Expect(banner).ToHaveAttributeAsync("data-state", "offline");

        var online = Stopwatch.StartNew();
        await page.Context.SetOfflineAsync(false);
        await Expect(indicator).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15000 });
        output.WriteLine($"connected {online.ElapsedMilliseconds} ms after the network came back");
        await Expect(banner).ToBeHiddenAsync();
        await Expect(submit).ToBeEnabledAsync();
        await Expect(page.Locator("#add-patient-paused")).ToBeHiddenAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded");

        // Live again: a broadcast shows up at once.
        await fixture.PublishAsync("customer.broadcast.patients.tenant-001",
            """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-001-70","tenantId":"tenant-001","firstName":"Ada","lastName":"Lovelace","dateOfBirth":"1815-12-10","mrn":"MRN-001-1070"}}""");
        await Expect(page.Locator("tr[data-patient-id='p-001-70']")).ToBeVisibleAsync(new() { Timeout = 2000 });
        output.WriteLine($"live {online.ElapsedMilliseconds} ms after the network came back");
        await Expect(page.GetByLabel("Last name")).ToHaveValueAsync("Hopper");

        Assert.DoesNotContain(problems, p => !IsOfflineNoise(p));
    }

    [Fact]
    public async Task DeadSocket_PortalFallsSilent_ShowsReconnectingWithinTwelveSecondsThenLiveAgain()
    {
        await using var session = await fixture.OpenAsync(nameof(DeadSocket_PortalFallsSilent_ShowsReconnectingWithinTwelveSecondsThenLiveAgain));
        var page = session.Page;
        var link = await HubLink.RouteAsync(page);
        var problems = CollectProblems(page);
        var indicator = page.Locator("#connection-status");
        var banner = page.Locator("#connection-banner");

        await LoginAsync(page, "demo@htpi.com", "demo123");
        await OpenPatientsAsync(page, Mercy);
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        await Expect(indicator).ToHaveAttributeAsync("data-state", "connected");

        // Nothing passes any more and nobody is told: only the missing keep-alive pings can show it.
        var silent = Stopwatch.StartNew();
        await link.FreezeAsync();
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 12000 });
        output.WriteLine($"dead socket shown after {silent.ElapsedMilliseconds} ms");
        Assert.True(silent.Elapsed > TimeSpan.FromSeconds(5), $"shown after {silent.Elapsed}: before three pings were missed");
        await Expect(banner.Locator(".conn-banner-line")).ToHaveTextAsync(
            new Regex(@"^(Reconnecting|Not connected): live updates paused, last update (\d+ s ago)$"));

        // The page opens a new socket (the frozen one is given up), resumes and is live.
        await Expect(indicator).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15000 });
        await Expect(banner).ToBeHiddenAsync();
        Assert.True(link.Sockets >= 2, "the page never opened a second socket");
        await fixture.PublishAsync("customer.broadcast.patients.tenant-001",
            """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-001-71","tenantId":"tenant-001","firstName":"Alan","lastName":"Turing","dateOfBirth":"1912-06-23","mrn":"MRN-001-1071"}}""");
        await Expect(page.Locator("tr[data-patient-id='p-001-71']")).ToBeVisibleAsync(new() { Timeout = 2000 });

        Assert.Empty(problems);
    }

    private static int Pings(HubFrames frames) => frames.Received.Count(f => f.StartsWith("{\"type\":6}", StringComparison.Ordinal));

    /// <summary>Chromium's own line for a request the offline network refused (not the page's).</summary>
    private static bool IsOfflineNoise(string problem) => problem.Contains("ERR_INTERNET_DISCONNECTED", StringComparison.Ordinal);
}
