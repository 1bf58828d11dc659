using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>The customer portal in headless Chromium, against the host, the demo services and a real nats-server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PortalPageTests(BrowserFixture fixture)
{
    /// <summary>How long a live broadcast may take to appear in the page.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions s_live = new() { Timeout = 2000 };

    private static readonly string[] s_mercyPatients = ["Alice Johnson", "Robert Chen", "Maria Garcia", "James Wilson", "Emily Davis"];

    [Fact]
    public async Task Journey_DemoUser_SeesBothTenantsLiveDataAndKeepsSessionUntilLogout()
    {
        await using var session = await fixture.OpenAsync(nameof(Journey_DemoUser_SeesBothTenantsLiveDataAndKeepsSessionUntilLogout));
        var page = session.Page;

        await LoginAsync(page, "demo@htpi.com", "demo123");

        // Tenant selection: both tenants of the demo user, with name and status.
        var tenants = page.Locator(".tenant-button");
        await Expect(tenants).ToHaveCountAsync(2);
        await Expect(tenants.Nth(0)).ToContainTextAsync("Mercy General Hospital");
        await Expect(tenants.Nth(1)).ToContainTextAsync("Springfield Clinic");
        await Expect(tenants.Nth(0)).ToContainTextAsync("active");
        await page.GetByRole(AriaRole.Button, new() { Name = "Mercy General Hospital" }).ClickAsync();

        // Dashboard: the stats cards, then a live activity published on NATS appears within 2 s.
        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await Expect(page.Locator("[data-stat=patients] .stat-value")).ToHaveTextAsync("5");
        await Expect(page.Locator("#current-user")).ToHaveTextAsync("Demo User");
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await fixture.PublishAsync("customer.broadcast.dashboard.tenant-001",
            """{"type":"activity","activity":{"id":"act-browser-1","type":"claim","message":"Browser test: claim c-001-01-1 approved","timestamp":"2026-11-27T10:00:00Z"}}""");
        await Expect(page.GetByText("Browser test: claim c-001-01-1 approved")).ToBeVisibleAsync(s_live);
        await fixture.PublishAsync("customer.broadcast.dashboard.tenant-001",
            """{"type":"stats","stats":{"patients":6,"claims":11,"pendingClaims":4,"approvedClaims":2,"deniedClaims":1,"paidClaims":4,"totalBilled":9876.5,"totalPaid":1234,"updatedAt":"2026-11-27T10:00:01Z"}}""");
        await Expect(page.Locator("[data-stat=totalBilled] .stat-value")).ToHaveTextAsync("$9,876.50", new() { Timeout = 2000 });

        // Patients: the list, then a published new patient appears as a highlighted row.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Patients" }).ClickAsync();
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        await fixture.PublishAsync("customer.broadcast.patients.tenant-001",
            """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-001-90","tenantId":"tenant-001","firstName":"Grace","lastName":"Hopper","dateOfBirth":"1906-12-09","mrn":"MRN-001-1090","email":"grace.hopper@example.com","phone":"555-100-1090"}}""");
        var newRow = page.Locator("tr[data-patient-id='p-001-90']");
        await Expect(newRow).ToBeVisibleAsync(s_live);
        await Expect(newRow).ToHaveClassAsync(new Regex("row-new"));

        // Search narrows the list; clearing it brings everything back.
        await page.GetByLabel("Search patients").FillAsync("garcia");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(1);
        await page.GetByLabel("Search patients").FillAsync(string.Empty);

        // Patient detail: the patient, insurance and claims.
        await page.GetByRole(AriaRole.Link, new() { Name = "Alice Johnson" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/patients/p-001-01$"));
        await Expect(page.Locator("#patient-title")).ToHaveTextAsync("Alice Johnson");
        await Expect(page.Locator("#patient-details")).ToContainTextAsync("MRN-001-1001");
        await Expect(page.Locator("#insurance [data-insurance-id]").First).ToContainTextAsync("POL-");
        await Expect(page.Locator("#claims tr[data-claim-id]").First).ToBeVisibleAsync();

        // Tenant switch from the header: the other tenant's data and none of the first's.
        await SwitchOrganizationAsync(page, "tenant-002");
        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await Expect(page.Locator(".page-head")).ToContainTextAsync("Springfield Clinic");
        await Expect(page.Locator("[data-stat=patients] .stat-value")).ToHaveTextAsync("6");
        await Expect(page.GetByText("Browser test: claim c-001-01-1 approved")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Patients" }).ClickAsync();
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);
        await Expect(page.Locator("#patient-rows")).ToContainTextAsync("Michael Brown");
        await AssertNoneOfAsync(page, [.. s_mercyPatients, "Grace Hopper"]);

        // Reload keeps the session: same user, same tenant, same page.
        await page.ReloadAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/patients$"));
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);
        await Expect(page.Locator("#tenant-switcher")).ToHaveValueAsync("tenant-002");
        await Expect(page.Locator("#current-user")).ToHaveTextAsync("Demo User");
        await AssertNoneOfAsync(page, s_mercyPatients);

        // The live feed works again after the reload (the page re-subscribed by itself).
        await fixture.PublishAsync("customer.broadcast.patients.tenant-002",
            """{"responseType":"created","tenantId":"tenant-002","patient":{"id":"p-002-90","tenantId":"tenant-002","firstName":"Ada","lastName":"Lovelace","dateOfBirth":"1815-12-10","mrn":"MRN-002-1090"}}""");
        await Expect(page.Locator("tr[data-patient-id='p-002-90']")).ToBeVisibleAsync(s_live);

        // Logout returns to the login page, and a reload stays there.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/login$"));
        await Expect(page.GetByLabel("Email")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task PatientDetail_ClaimStatusBroadcast_ChangesLive()
    {
        await using var session = await fixture.OpenAsync(nameof(PatientDetail_ClaimStatusBroadcast_ChangesLive));
        var page = session.Page;
        await LoginAsync(page, "john@example.com", "password123");
        await Expect(page.Locator("[data-stat=patients] .stat-value")).Not.ToHaveTextAsync("—");
        await page.GotoAsync("/#/patients/p-001-02");
        var claim = page.Locator("#claims tr[data-claim-id='c-001-02-1']");
        await Expect(claim).ToBeVisibleAsync();

        // claims:subscribe is answered before this test publishes: the page shows its claims after it asked.
        await page.WaitForTimeoutAsync(300);
        await fixture.PublishAsync("customer.broadcast.claims.tenant-001",
            """{"type":"updated","claim":{"id":"c-001-02-1","patientId":"p-001-02","serviceDate":"2025-02-05","amount":1850,"status":"denied","description":"MRI - lumbar spine","provider":"Dr. Samuel Okafor"}}""");
        await Expect(claim.Locator(".claim-status")).ToHaveTextAsync("denied", new() { Timeout = 2000 });
    }

    [Fact]
    public async Task DroppedSocket_AutomaticReconnect_ResumesTenantAndLiveFeed()
    {
        await using var session = await fixture.OpenAsync(nameof(DroppedSocket_AutomaticReconnect_ResumesTenantAndLiveFeed));
        var page = session.Page;

        // Every hub socket goes through the test, so it can cut one as a network drop would.
        var sockets = new List<(IWebSocketRoute Page, IWebSocketRoute Server)>();
        await page.RouteWebSocketAsync(new Regex("/hubs/portal"), ws =>
        {
            lock (sockets)
            {
                sockets.Add((ws, ws.ConnectToServer()));
            }
        });
        await LoginAsync(page, "demo@htpi.com", "demo123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Springfield Clinic" }).ClickAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Patients" }).ClickAsync();
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);

        (IWebSocketRoute Page, IWebSocketRoute Server) first;
        lock (sockets)
        {
            Assert.Single(sockets);
            first = sockets[0];
        }

        await first.Page.CloseAsync(new() { Code = 4000, Reason = "test drop" });
        await first.Server.CloseAsync();

        // SignalR reconnects on a new socket; the page resumes, re-selects its tenant and re-subscribes.
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 10000 });
        await Expect(page.Locator("#tenant-switcher")).ToHaveValueAsync("tenant-002");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);
        lock (sockets)
        {
            Assert.True(sockets.Count >= 2, "the page never opened a second socket");
        }

        await page.WaitForTimeoutAsync(500);
        await fixture.PublishAsync("customer.broadcast.patients.tenant-002",
            """{"responseType":"created","tenantId":"tenant-002","patient":{"id":"p-002-91","tenantId":"tenant-002","firstName":"Barbara","lastName":"Liskov","dateOfBirth":"1939-11-07","mrn":"MRN-002-1091"}}""");
        await Expect(page.Locator("tr[data-patient-id='p-002-91']")).ToBeVisibleAsync(s_live);
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsErrorInWords()
    {
        await using var session = await fixture.OpenAsync(nameof(Login_WrongPassword_ShowsErrorInWords));
        var page = session.Page;
        await page.GotoAsync("/");
        await Expect(page.GetByText("Demo mode.")).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync("demo@htpi.com");
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(new Regex("email or password is incorrect"));
        await Expect(page).ToHaveURLAsync(new Regex("#/login$"));
    }

    [Fact]
    public async Task Login_JohnWithOneOrganization_OpensItWithoutAListOfOne()
    {
        await using var session = await fixture.OpenAsync(nameof(Login_JohnWithOneOrganization_OpensItWithoutAListOfOne), new ViewportSize { Width = 390, Height = 844 });
        var page = session.Page;
        var frames = CollectHubFrames(page);
        await LoginAsync(page, "john@example.com", "password123");

        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await Expect(page.Locator(".page-head .muted")).ToHaveTextAsync("Mercy General Hospital");
        await Expect(page.Locator("[data-stat=patients] .stat-value")).ToHaveTextAsync("5");
        await Expect(page.Locator(".tenant-button")).ToHaveCountAsync(0);
        await Expect(page.GetByText("Springfield Clinic")).ToHaveCountAsync(0);
        // Nothing to switch to: the header names the organization.
        await Expect(page.Locator("#tenant-switcher")).ToHaveCountAsync(0);
        await Expect(page.Locator(".header-tools .tenant-name")).ToHaveTextAsync("Mercy General Hospital");
        Assert.Equal(1, Invocations(frames.Sent, "user:tenant:select"));

        // A deep link is kept through the choice made for him.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        // Signed out for good (the logout answered) before the link is opened: else the sign-out's own
        // redirect to the sign-in page could land after it and replace it.
        await Expect(page.GetByText("You have signed out.")).ToBeVisibleAsync();
        await page.GotoAsync("/#/patients/p-001-02");
        await LoginAsync(page, "john@example.com", "password123", navigate: false);
        await Expect(page).ToHaveURLAsync(new Regex("#/patients/p-001-02$"));
        await Expect(page.Locator("#patient-title")).ToHaveTextAsync("Robert Chen");
    }

    [Fact]
    public async Task Page_RunsUnderItsContentSecurityPolicy_WithoutViolations()
    {
        await using var session = await fixture.OpenAsync(nameof(Page_RunsUnderItsContentSecurityPolicy_WithoutViolations));
        var page = session.Page;
        var problems = CollectProblems(page);

        var response = await page.GotoAsync("/");
        Assert.NotNull(response);
        Assert.Contains("script-src 'self'", await response.HeaderValueAsync("content-security-policy") ?? string.Empty);
        await LoginAsync(page, "demo@htpi.com", "demo123", navigate: false);
        await Expect(page.Locator(".tenant-button")).ToHaveCountAsync(2);

        Assert.Empty(problems);
    }

    private static async Task AssertNoneOfAsync(IPage page, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            await Expect(page.GetByText(name)).ToHaveCountAsync(0);
        }
    }
}
