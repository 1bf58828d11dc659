using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>The chosen organization is named by its name, never its id, on every render: after a reload and after a reconnect.</summary>
[Collection(BrowserCollection.Name)]
public sealed class OrganizationNamePageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Subtitle_AfterReloadAndReconnect_NamesTheOrganization()
    {
        await using var session = await fixture.OpenAsync(nameof(Subtitle_AfterReloadAndReconnect_NamesTheOrganization));
        var page = session.Page;
        var link = await HubLink.RouteAsync(page);
        var subtitle = page.Locator(".page-head .muted");

        await LoginAsync(page, "demo@htpi.com", "demo123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mercy General Hospital" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await Expect(subtitle).ToHaveTextAsync("Mercy General Hospital");

        await page.ReloadAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await Expect(page.Locator("[data-stat=patients] .stat-value")).ToHaveTextAsync("5");
        await Expect(subtitle).ToHaveTextAsync("Mercy General Hospital");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Patients" }).ClickAsync();
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        await link.CutAsync();
        await Expect(page.Locator("#connection-status")).Not.ToHaveAttributeAsync("data-state", "connected");
        await link.RestoreAsync();
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 15000 });
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        await Expect(subtitle).ToHaveTextAsync("Mercy General Hospital");
        await Expect(page.GetByText("tenant-001")).ToHaveCountAsync(0);
    }
}
