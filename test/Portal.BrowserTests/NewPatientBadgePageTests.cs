using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>
/// The "New" badge of the patients list: only a patient the live feed says is new (<c>patients:new</c>) gets it,
/// never one only updated, and it goes a minute after it came. The page's clock is Playwright's, moved on by the
/// test; a live broadcast between the steps keeps SignalR's server timeout from firing on the jump.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NewPatientBadgePageTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions s_live = new() { Timeout = 2000 };

    [Fact]
    public async Task NewBadge_OnlyForNewPatients_ClearsAfterAMinute()
    {
        await using var session = await fixture.OpenAsync(nameof(NewBadge_OnlyForNewPatients_ClearsAfterAMinute));
        var page = session.Page;
        await page.Clock.InstallAsync();
        await LoginAsync(page, "demo@htpi.com", "demo123");
        await OpenPatientsAsync(page, "Mercy General Hospital");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);

        await fixture.PublishAsync("customer.broadcast.patients.tenant-001",
            """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-001-80","tenantId":"tenant-001","firstName":"Hedy","lastName":"Lamarr","dateOfBirth":"1914-11-09","mrn":"MRN-001-1080"}}""");
        var created = page.Locator("tr[data-patient-id='p-001-80']");
        await Expect(created).ToBeVisibleAsync(s_live);
        await Expect(created).ToHaveClassAsync(new Regex("row-new"));
        await Expect(created.Locator(".badge-new")).ToHaveTextAsync("New");

        // Three updates of an existing patient, 20 s apart on the page's clock: none of them makes it "New".
        for (var step = 1; step <= 3; step++)
        {
            await fixture.PublishAsync("customer.broadcast.patients.tenant-001",
                $$$"""{"responseType":"updated","tenantId":"tenant-001","patient":{"id":"p-001-02","tenantId":"tenant-001","firstName":"Robert","lastName":"Chen","dateOfBirth":"1972-11-03","mrn":"MRN-001-1002","phone":"555-000-000{{{step}}}"}}""");
            var updated = page.Locator("tr[data-patient-id='p-001-02']");
            await Expect(updated).ToContainTextAsync($"555-000-000{step}", new() { Timeout = 2000 });
            await Expect(updated).Not.ToHaveClassAsync(new Regex("row-new"));
            await Expect(updated.Locator(".badge-new")).ToHaveCountAsync(0);
            if (step < 3)
            {
                // Still new within the minute.
                await Expect(created.Locator(".badge-new")).ToHaveCountAsync(1);
            }

            await page.Clock.FastForwardAsync("00:20");
        }

        await page.Clock.FastForwardAsync("00:01");
        await Expect(created).Not.ToHaveClassAsync(new Regex("row-new"));
        await Expect(created.Locator(".badge-new")).ToHaveCountAsync(0);
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected");
    }
}
