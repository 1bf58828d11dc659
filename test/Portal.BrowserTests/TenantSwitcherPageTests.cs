using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>
/// The header's organization switcher changes nothing on a mere change of its value (WCAG 3.2.2, on input):
/// moving through it with the arrow keys is looking, Enter or the "Switch" button is the choice.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TenantSwitcherPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Switcher_ArrowKeysOnlyLook_EnterOrTheButtonSwitches()
    {
        await using var session = await fixture.OpenAsync(nameof(Switcher_ArrowKeysOnlyLook_EnterOrTheButtonSwitches));
        var page = session.Page;
        var switcher = page.Locator("#tenant-switcher");
        var switchButton = page.GetByRole(AriaRole.Button, new() { Name = "Switch organization" });
        var subtitle = page.Locator(".page-head .muted");
        await LoginAsync(page, "demo@htpi.com", "demo123");
        await OpenPatientsAsync(page, "Mercy General Hospital");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        await Expect(switchButton).ToBeHiddenAsync();

        await switcher.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(switcher).ToHaveValueAsync("tenant-002");
        await Expect(switchButton).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/patients$"));
        await Expect(subtitle).ToHaveTextAsync("Mercy General Hospital");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        await Expect(switcher).ToBeFocusedAsync();

        // Back to the open organization: nothing to switch to.
        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(switcher).ToHaveValueAsync("tenant-001");
        await Expect(switchButton).ToBeHiddenAsync();

        // Enter on the switcher is a choice.
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await Expect(subtitle).ToHaveTextAsync("Springfield Clinic");
        await Expect(page.Locator("[data-stat=patients] .stat-value")).ToHaveTextAsync("6");

        // So is the button.
        await SwitchOrganizationAsync(page, "tenant-001");
        await Expect(subtitle).ToHaveTextAsync("Mercy General Hospital");
        await Expect(page.Locator("[data-stat=patients] .stat-value")).ToHaveTextAsync("5");
        await Expect(switcher).ToHaveValueAsync("tenant-001");
    }
}
