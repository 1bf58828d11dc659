using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>Signing out says so on the sign-in page it leads to, until the next sign-in.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignOutPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task SignOut_SaysSoOnTheSignInPage_UntilTheNextSignIn()
    {
        await using var session = await fixture.OpenAsync(nameof(SignOut_SaysSoOnTheSignInPage_UntilTheNextSignIn));
        var page = session.Page;
        await LoginAsync(page, "john@example.com", "password123");
        await Expect(page.Locator("[data-stat=patients] .stat-value")).ToHaveTextAsync("5");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/login$"));
        var said = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "You have signed out." });
        await Expect(said).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "signed out" })).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Email")).ToBeFocusedAsync();

        await LoginAsync(page, "john@example.com", "password123", navigate: false);
        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await Expect(page.Locator("#login-notice")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(said).ToBeVisibleAsync();
    }
}
