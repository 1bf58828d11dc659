using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>
/// The "New" badge of the patients list: only a patient the live feed says is new (<c>patients:new</c>) gets it,
/// never one only updated, and it goes a minute after it came. The page's clock is Playwright's, moved on by the
/// test in jumps of 5 s with a live broadcast before each, so the page's 9 s server timeout (three missed keep-alive
/// pings) never fires on a jump.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NewPatientBadgePageTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions s_live = new() { Timeout = 2000 };
    private int _visits;

    [Fact]
    public async Task NewBadge_OnlyForNewPatients_ClearsAfterAMinute()
    {
        await using var session = await fixture.OpenAsync(nameof(NewBadge_OnlyForNewPatients_ClearsAfterAMinute));
        var page = session.Page;
        await page.Clock.InstallAsync();
        // Counts the hub sockets the page opens: the jumps of the clock must not cost it its socket.
        await page.AddInitScriptAsync("""
            (() => {
              window.sockets = 0;
              const Native = window.WebSocket;
              window.WebSocket = class extends Native { constructor(...a) { super(...a); window.sockets++; } };
            })();
            """);
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

            await MoveTheClockOnAsync(page, jumps: 4);
        }

        await page.Clock.FastForwardAsync("00:01");
        await Expect(created).Not.ToHaveClassAsync(new Regex("row-new"));
        await Expect(created.Locator(".badge-new")).ToHaveCountAsync(0);
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected");
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.sockets"));
    }

    /// <summary>Moves the page's clock on by 5 s <paramref name="jumps"/> times, each after a broadcast the page shows (Maria Garcia's visit).</summary>
    private async Task MoveTheClockOnAsync(IPage page, int jumps)
    {
        for (var jump = 0; jump < jumps; jump++)
        {
            var visit = $"2026-01-{_visits++ % 28 + 1:D2}";
            await fixture.PublishAsync("customer.broadcast.patients.tenant-001",
                $$$"""{"responseType":"updated","tenantId":"tenant-001","patient":{"id":"p-001-03","tenantId":"tenant-001","firstName":"Maria","lastName":"Garcia","dateOfBirth":"1990-07-25","mrn":"MRN-001-1003","lastVisit":"{{{visit}}}","email":"visit-{{{_visits}}}@example.com"}}""");
            await Expect(page.Locator("tr[data-patient-id='p-001-03']")).ToContainTextAsync($"visit-{_visits}@example.com", new() { Timeout = 2000 });
            await page.Clock.FastForwardAsync("00:05");
        }
    }
}
