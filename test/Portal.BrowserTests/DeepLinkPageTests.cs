using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>A link to a page behind sign-in, opened in a new tab, ends on that page once signed in and an organization chosen.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DeepLinkPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task DeepLink_NewTab_IsKeptThroughSignInAndOrganizationChoice()
    {
        await using var session = await fixture.OpenAsync(nameof(DeepLink_NewTab_IsKeptThroughSignInAndOrganizationChoice));
        var page = session.Page;

        await page.GotoAsync("/#/patients/p-001-02");
        await LoginAsync(page, "demo@htpi.com", "demo123", navigate: false);
        await page.GetByRole(AriaRole.Button, new() { Name = "Mercy General Hospital" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#/patients/p-001-02$"));
        await Expect(page.Locator("#patient-title")).ToHaveTextAsync("Robert Chen");

        // Kept once: the next sign-in starts afresh.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await LoginAsync(page, "demo@htpi.com", "demo123", navigate: false);
        await page.GetByRole(AriaRole.Button, new() { Name = "Springfield Clinic" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
    }
}
