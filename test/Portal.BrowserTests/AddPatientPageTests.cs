using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NATS.Client.Core;
using Portal.BrowserTests.Infrastructure;
using Portal.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>
/// The "Add patient" form of the patients page (<c>patients:add</c>). Each test has its own portal, NATS
/// and demo services: adding a patient changes the demo data the shared fixture's tests count on.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AddPatientPageTests(BrowserFixture fixture)
{
    private const string Mercy = "Mercy General Hospital";

    /// <summary>How long a live broadcast may take to appear in the page.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions s_live = new() { Timeout = 2000 };

    [Fact]
    public async Task AddPatient_ValidForm_AppearsOnceInTheListAndLiveForAnotherUserOfTheTenant()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var colleague = await fixture.OpenAsync(nameof(AddPatient_ValidForm_AppearsOnceInTheListAndLiveForAnotherUserOfTheTenant) + "-colleague", portal: portal);
        await using var session = await fixture.OpenAsync(nameof(AddPatient_ValidForm_AppearsOnceInTheListAndLiveForAnotherUserOfTheTenant), portal: portal);
        var other = colleague.Page;
        var page = session.Page;
        var otherProblems = CollectProblems(other);
        var problems = CollectProblems(page);
        var frames = CollectHubFrames(page);

        // John watches Mercy's patients in one browser; the demo user adds one in another.
        await OpenMercyPatientsAsync(other, "john@example.com", "password123");
        await other.EvaluateAsync("() => { window.sameDocument = true; }");

        await OpenMercyPatientsAsync(page, "demo@htpi.com", "demo123");

        var open = page.GetByRole(AriaRole.Button, new() { Name = "New patient" });
        await Expect(open).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(page.Locator("#add-patient-form")).ToBeHiddenAsync();
        await open.ClickAsync();
        await Expect(open).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.GetByLabel("First name")).ToBeFocusedAsync();

        await FillJaneDoeAsync(page, everyField: true);

        // Every change of the submit button's disabled state, as it happens.
        var submit = page.GetByRole(AriaRole.Button, new() { Name = "Add patient" });
        await submit.EvaluateAsync("""
            b => {
              window.submitStates = [];
              new MutationObserver(() => window.submitStates.push(b.disabled + ":" + b.textContent))
                .observe(b, { attributes: true, childList: true, subtree: true, attributeFilter: ["disabled"] });
            }
            """);
        await submit.ClickAsync();

        await Expect(page.Locator("#add-patient-status")).ToHaveTextAsync("Jane Doe was added.");
        await Expect(page.Locator("#add-patient-error")).ToBeEmptyAsync();
        await Expect(page.GetByLabel("First name")).ToHaveValueAsync(string.Empty);
        await Expect(page.GetByLabel("Last name")).ToHaveValueAsync(string.Empty);
        await Expect(page.GetByLabel("Date of birth")).ToHaveValueAsync(string.Empty);
        await Expect(page.GetByLabel("Email")).ToHaveValueAsync(string.Empty);
        await Expect(submit).ToBeEnabledAsync();
        var states = await page.EvaluateAsync<string[]>("() => window.submitStates");
        Assert.Contains("true:Adding…", states);
        Assert.Equal("false:Add patient", states[^1]);
        Assert.True(Array.IndexOf(states, "true:Adding…") < states.Length - 1, string.Join(" | ", states));

        // The new patient reaches this page through the live push, once, with what the service made of it.
        var row = page.Locator("#patient-rows tr", new() { HasText = "Jane Doe" });
        await Expect(row).ToBeVisibleAsync(s_live);
        await Expect(row).ToHaveAttributeAsync("data-patient-id", "p-001-06");
        await Expect(row).ToContainTextAsync("MRN-001-1006");
        await Expect(row).ToContainTextAsync("Mar 14, 1990");
        await Expect(row).ToContainTextAsync("jane.doe@example.com");
        await Expect(row).ToContainTextAsync("555-010-2000");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);
        await Expect(page.Locator("#patient-count")).ToHaveTextAsync("6 of 6 patients");

        // John's page shows it live, without a reload.
        var otherRow = other.Locator("#patient-rows tr", new() { HasText = "Jane Doe" });
        await Expect(otherRow).ToBeVisibleAsync(s_live);
        await Expect(otherRow).ToHaveAttributeAsync("data-patient-id", "p-001-06");
        await Expect(otherRow).ToHaveClassAsync(new Regex("row-new"));
        await Expect(other.Locator("#patient-rows tr")).ToHaveCountAsync(6);
        Assert.True(await other.EvaluateAsync<bool>("() => window.sameDocument === true"), "John's page was reloaded");

        // A moment later still exactly one row each: nothing inserted the patient a second time.
        await page.WaitForTimeoutAsync(500);
        await Expect(row).ToHaveCountAsync(1);
        await Expect(otherRow).ToHaveCountAsync(1);
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);
        Assert.Equal(1, Invocations(frames.Sent, "patients:add"));

        Assert.Empty(problems);
        Assert.Empty(otherProblems);
    }

    [Fact]
    public async Task AddPatient_FreshResumeAfterAReconnect_KeepsWhatWasTypedAndAddsThePatient()
    {
        // A one-second resume grace: a socket away longer than that comes back to a fresh session, and the
        // page renders its route anew.
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true, new Dictionary<string, string> { ["RESUME_GRACE_SECONDS"] = "1" });
        await using var session = await fixture.OpenAsync(nameof(AddPatient_FreshResumeAfterAReconnect_KeepsWhatWasTypedAndAddsThePatient), portal: portal);
        var page = session.Page;
        var link = await HubLink.RouteAsync(page);
        var frames = CollectHubFrames(page);

        await OpenMercyPatientsAsync(page, "demo@htpi.com", "demo123");
        var open = page.GetByRole(AriaRole.Button, new() { Name = "New patient" });
        await open.ClickAsync();
        await FillJaneDoeAsync(page, everyField: true);
        await MarkTheFormAsync(page);
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        // The socket drops and stays away until the portal has ended the held session.
        await link.CutAsync();
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "reconnecting");
        await Eventually.HoldsAsync(async () => await portal.HeldSessionsAsync() == 1);
        await Eventually.HoldsAsync(async () => await portal.HeldSessionsAsync() == 0);
        await link.RestoreAsync();

        // The page reconnects, gets a fresh session, selects Mercy again and renders the patients page anew.
        await WaitForTheFormRenderedAnewAsync(page);
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        Assert.True(link.Sockets >= 2, "the page never opened a second socket");
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was reloaded");
        Assert.Contains(frames.Received, f => f.Contains("\"target\":\"auth:resume:response\"", StringComparison.Ordinal)
            && f.Contains("\"success\":true", StringComparison.Ordinal) && !f.Contains("\"recovered\":true", StringComparison.Ordinal));

        // The form is open again with everything that was typed.
        await Expect(open).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("#add-patient-form")).ToBeVisibleAsync();
        await ExpectJaneDoeInEveryFieldAsync(page);

        // The focus is back in the field that had it (Phone, typed last), not on the page heading.
        await Expect(page.GetByLabel("Phone")).ToBeFocusedAsync();

        // And it is sent as it is: the patient is added and reaches the list live.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add patient" }).ClickAsync();
        await Expect(page.Locator("#add-patient-status")).ToHaveTextAsync("Jane Doe was added.");
        await Expect(page.GetByLabel("First name")).ToHaveValueAsync(string.Empty);
        var row = page.Locator("#patient-rows tr", new() { HasText = "Jane Doe" });
        await Expect(row).ToBeVisibleAsync(s_live);
        await Expect(row).ToHaveAttributeAsync("data-patient-id", "p-001-06");
        await Expect(row).ToContainTextAsync("jane.doe@example.com");
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(6);
    }

    [Fact]
    public async Task AddPatient_TenantSwitchedOrSignedOutAndIn_TheFormStartsClosedAndEmpty()
    {
        await using var session = await fixture.OpenAsync(nameof(AddPatient_TenantSwitchedOrSignedOutAndIn_TheFormStartsClosedAndEmpty));
        var page = session.Page;
        var problems = CollectProblems(page);
        var open = page.GetByRole(AriaRole.Button, new() { Name = "New patient" });
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

        async Task ExpectClosedAndEmptyAsync()
        {
            await Expect(page.Locator("#patient-rows tr").First).ToBeVisibleAsync();
            await Expect(open).ToHaveAttributeAsync("aria-expanded", "false");
            await Expect(page.Locator("#add-patient-form")).ToBeHiddenAsync();
            await open.ClickAsync();
            await Expect(page.GetByLabel("First name")).ToHaveValueAsync(string.Empty);
            await Expect(page.GetByLabel("Last name")).ToHaveValueAsync(string.Empty);
            await Expect(page.GetByLabel("Email")).ToHaveValueAsync(string.Empty);
        }

        await LoginAsync(page, "demo@htpi.com", "demo123");
        await OpenPatientsAsync(page, Mercy);
        await open.ClickAsync();
        await page.GetByLabel("First name").FillAsync("Jane");
        await page.GetByLabel("Last name").FillAsync("Doe");
        await page.GetByLabel("Email").FillAsync("jane.doe@example.com");

        // Another tenant, and back: nothing typed for Mercy is shown, not even on Mercy's page again.
        await SwitchOrganizationAsync(page, "tenant-002");
        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await nav.GetByRole(AriaRole.Link, new() { Name = "Patients" }).ClickAsync();
        await ExpectClosedAndEmptyAsync();
        await SwitchOrganizationAsync(page, "tenant-001");
        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await nav.GetByRole(AriaRole.Link, new() { Name = "Patients" }).ClickAsync();
        await ExpectClosedAndEmptyAsync();

        // Signed out and in again on the same page.
        await page.GetByLabel("First name").FillAsync("Jane");
        await page.GetByLabel("Last name").FillAsync("Doe");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await LoginAsync(page, "demo@htpi.com", "demo123", navigate: false);
        await OpenPatientsAsync(page, Mercy);
        await ExpectClosedAndEmptyAsync();

        Assert.Empty(problems);
    }

    [Fact]
    public async Task AddPatient_InvalidInput_IsRefusedInThePageWithMessagesAndNothingIsSent()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var session = await fixture.OpenAsync(nameof(AddPatient_InvalidInput_IsRefusedInThePageWithMessagesAndNothingIsSent), portal: portal);
        var page = session.Page;
        var problems = CollectProblems(page);
        var frames = CollectHubFrames(page);

        await OpenMercyPatientsAsync(page, "john@example.com", "password123");
        await page.GetByRole(AriaRole.Button, new() { Name = "New patient" }).ClickAsync();
        var submit = page.GetByRole(AriaRole.Button, new() { Name = "Add patient" });
        var firstName = page.GetByLabel("First name");
        var lastName = page.GetByLabel("Last name");
        var dob = page.GetByLabel("Date of birth");

        // Nothing filled in: the three required fields say so, and the first of them has the focus.
        await submit.ClickAsync();
        await Expect(page.Locator("#new-patient-first-name-error")).ToHaveTextAsync("Enter the patient's first name.");
        await Expect(page.Locator("#new-patient-last-name-error")).ToHaveTextAsync("Enter the patient's last name.");
        await Expect(page.Locator("#new-patient-dob-error")).ToHaveTextAsync("Enter the patient's date of birth.");
        await Expect(firstName).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(firstName).ToBeFocusedAsync();

        // Typing in a field clears its message.
        await firstName.FillAsync("Jane");
        await Expect(page.Locator("#new-patient-first-name-error")).ToBeHiddenAsync();
        await Expect(firstName).Not.ToHaveAttributeAsync("aria-invalid", "true");

        // An empty last name and a date of birth in the future.
        var nextYear = DateTime.Today.AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await dob.FillAsync(nextYear);
        await lastName.FillAsync("   ");
        await submit.ClickAsync();
        await Expect(page.Locator("#new-patient-last-name-error")).ToHaveTextAsync("Enter the patient's last name.");
        await Expect(page.Locator("#new-patient-dob-error")).ToHaveTextAsync("The date of birth cannot be in the future.");
        await Expect(lastName).ToBeFocusedAsync();

        // A date typed only in part (month, no day or year) and a malformed email.
        await lastName.FillAsync("Doe");
        await dob.FillAsync(string.Empty);
        await dob.FocusAsync();
        await page.Keyboard.TypeAsync("03");
        await page.GetByLabel("Email").FillAsync("jane@");
        await submit.ClickAsync();
        await Expect(page.Locator("#new-patient-dob-error")).ToHaveTextAsync("Enter the full date of birth: month, day and year.");
        await Expect(page.Locator("#new-patient-email-error")).ToHaveTextAsync("Enter an email address like name@example.com, or leave it empty.");
        await Expect(page.Locator("#new-patient-last-name-error")).ToBeHiddenAsync();
        await Expect(dob).ToBeFocusedAsync();

        // Refused in the page: no call went out, no confirmation, and the list is as it was.
        await page.WaitForTimeoutAsync(500);
        Assert.True(Invocations(frames.Sent, "patients:subscribe") >= 1, "the hub frames were not captured at all");
        Assert.Equal(0, Invocations(frames.Sent, "patients:add"));
        await Expect(page.Locator("#add-patient-status")).ToBeEmptyAsync();
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        await Expect(page.Locator("#patient-rows")).Not.ToContainTextAsync("Doe");

        Assert.Empty(problems);
    }

    [Fact]
    public async Task AddPatient_ServiceRefuses_ShowsItsReasonBesideTheFormAndKeepsTheInput()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var session = await fixture.OpenAsync(nameof(AddPatient_ServiceRefuses_ShowsItsReasonBesideTheFormAndKeepsTheInput), portal: portal);
        var page = session.Page;
        var problems = CollectProblems(page);

        await OpenMercyPatientsAsync(page, "john@example.com", "password123");

        // From now on the test is the patient service, one that does not let this user add patients.
        await portal.StopDemoAsync();
        await using var nats = portal.Client();
        await using var creates = await nats.SubscribeCoreAsync<byte[]>("htpi.patient.create");
        var service = Task.Run(async () =>
        {
            await foreach (var request in creates.Msgs.ReadAllAsync())
            {
                await request.ReplyAsync(Encoding.UTF8.GetBytes("""{"success":false,"error":"Your role may not add patients."}"""));
            }
        });

        await page.GetByRole(AriaRole.Button, new() { Name = "New patient" }).ClickAsync();
        await FillJaneDoeAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add patient" }).ClickAsync();

        await Expect(page.Locator("#add-patient-error")).ToHaveTextAsync("The patient was not added: Your role may not add patients.");
        await Expect(page.Locator("#add-patient-status")).ToBeEmptyAsync();
        await Expect(page.GetByLabel("First name")).ToHaveValueAsync("Jane");
        await Expect(page.GetByLabel("Date of birth")).ToHaveValueAsync("1990-03-14");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add patient" })).ToBeEnabledAsync();
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
        Assert.False(service.IsCompleted, service.Exception?.ToString());

        Assert.Empty(problems);
    }

    [Fact]
    public async Task AddPatient_ConnectionDropsWhileTheCallIsInFlight_SaysTheOutcomeIsUnknownUntilThePatientArrives()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var session = await fixture.OpenAsync(nameof(AddPatient_ConnectionDropsWhileTheCallIsInFlight_SaysTheOutcomeIsUnknownUntilThePatientArrives), portal: portal);
        var page = session.Page;
        var link = await HubLink.RouteAsync(page);
        var frames = CollectHubFrames(page);
        var console = new ConcurrentQueue<string>();
        page.Console += (_, message) => console.Enqueue(message.Text);
        page.PageError += (_, error) => console.Enqueue(error);

        await OpenMercyPatientsAsync(page, "john@example.com", "password123");

        // From now on the test is the patient service: it takes the request and never answers.
        await portal.StopDemoAsync();
        await using var nats = portal.Client();
        await using var creates = await nats.SubscribeCoreAsync<byte[]>("htpi.patient.create");

        await page.GetByRole(AriaRole.Button, new() { Name = "New patient" }).ClickAsync();
        await FillJaneDoeAsync(page, everyField: true);
        var submit = page.GetByRole(AriaRole.Button, new() { Name = "Adding…" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add patient" }).ClickAsync();

        // The request reached the service, so the call is in flight; then the page's socket drops.
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            await creates.Msgs.ReadAsync(wait.Token);
        }

        await Expect(submit).ToBeDisabledAsync();
        await link.CutAsync();

        // The page cannot know whether the patient was added, and says so instead of inviting a resend.
        const string unknown = "The connection dropped before the portal confirmed it, so Jane Doe may or may not have been added. "
            + "Check the list once it reloads before adding again.";
        var failure = page.Locator("#add-patient-error");
        await Expect(failure).ToHaveTextAsync(unknown);
        await Expect(page.Locator("#add-patient-status")).ToBeEmptyAsync();
        await ExpectJaneDoeInEveryFieldAsync(page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add patient" })).ToBeEnabledAsync();

        // The services are back (new demo services; the token outlives their restart, as a real auth service's
        // does, so the resume's token check passes) and so is the link. The page resumes the held session with
        // the seq its list is current as of: nothing was missed, so it is recovered and nothing is reloaded;
        // the form still says the outcome is unknown and keeps the values.
        await creates.UnsubscribeAsync();
        await portal.StartDemoAsync();
        await link.RestoreAsync();
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected");
        await Eventually.HoldsAsync(() => Task.FromResult(frames.Received.Any(f => f.Contains("\"target\":\"auth:resume:response\"", StringComparison.Ordinal)
            && f.Contains("\"recovered\":true", StringComparison.Ordinal))));
        await Expect(failure).ToHaveTextAsync(unknown);
        await Expect(page.GetByLabel("First name")).ToHaveValueAsync("Jane");
        await Expect(page.GetByLabel("Phone")).ToHaveValueAsync("555-010-2000");
        Assert.Equal(1, Invocations(frames.Sent, "patients:subscribe"));

        // The service did add her: its broadcast reaches the page, which now says so and clears the form.
        await nats.PublishAsync("customer.broadcast.patients.tenant-001", Encoding.UTF8.GetBytes("""
            {"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-001-06","firstName":"Jane","lastName":"Doe","dateOfBirth":"1990-03-14","tenantId":"tenant-001"}}
            """));
        await Expect(page.Locator("#add-patient-status")).ToHaveTextAsync("Jane Doe was added.");
        await Expect(failure).ToBeEmptyAsync();
        await Expect(page.GetByLabel("First name")).ToHaveValueAsync(string.Empty);
        await Expect(page.Locator("#patient-rows tr", new() { HasText = "Jane Doe" })).ToHaveCountAsync(1);
        Assert.Equal(1, Invocations(frames.Sent, "patients:add"));

        // Patient data never reaches the console.
        Assert.DoesNotContain(console, m => m.Contains("Doe", StringComparison.Ordinal) || m.Contains("1990-03-14", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddPatient_NatsDown_ShowsServiceUnavailableBesideTheForm()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var session = await fixture.OpenAsync(nameof(AddPatient_NatsDown_ShowsServiceUnavailableBesideTheForm), portal: portal);
        var page = session.Page;
        var problems = CollectProblems(page);

        await OpenMercyPatientsAsync(page, "john@example.com", "password123");
        await page.GetByRole(AriaRole.Button, new() { Name = "New patient" }).ClickAsync();
        await FillJaneDoeAsync(page);

        portal.KillNats();
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "degraded", new() { Timeout = 10000 });

        // The portal refuses the call at once with an `error` push (service_unavailable) naming its requestId.
        await page.GetByRole(AriaRole.Button, new() { Name = "Add patient" }).ClickAsync();
        await Expect(page.Locator("#add-patient-error")).ToHaveTextAsync(
            "The service is unavailable right now, so we could not add the patient. Please try again in a moment.");
        await Expect(page.Locator("#add-patient-status")).ToBeEmptyAsync();
        await Expect(page.GetByLabel("Last name")).ToHaveValueAsync("Doe");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Add patient" })).ToBeEnabledAsync();

        Assert.Empty(problems);
    }

    /// <summary>Signs in and opens Mercy's patients page with the demo's five patients listed.</summary>
    private static async Task OpenMercyPatientsAsync(IPage page, string email, string password)
    {
        await LoginAsync(page, email, password);
        await OpenPatientsAsync(page, Mercy);
        await Expect(page.Locator("#patient-rows tr")).ToHaveCountAsync(5);
    }

    /// <summary>Types Jane Doe into the open form: the required fields, or every field.</summary>
    private static async Task FillJaneDoeAsync(IPage page, bool everyField = false)
    {
        await page.GetByLabel("First name").FillAsync("Jane");
        await page.GetByLabel("Last name").FillAsync("Doe");
        await page.GetByLabel("Date of birth").FillAsync("1990-03-14");
        if (everyField)
        {
            await page.GetByLabel("Gender").SelectOptionAsync("female");
            await page.GetByLabel("Email").FillAsync("jane.doe@example.com");
            await page.GetByLabel("Phone").FillAsync("555-010-2000");
        }
    }

    /// <summary>Every field holds Jane Doe as <see cref="FillJaneDoeAsync"/> typed it with every field.</summary>
    private static async Task ExpectJaneDoeInEveryFieldAsync(IPage page)
    {
        await Expect(page.GetByLabel("First name")).ToHaveValueAsync("Jane");
        await Expect(page.GetByLabel("Last name")).ToHaveValueAsync("Doe");
        await Expect(page.GetByLabel("Date of birth")).ToHaveValueAsync("1990-03-14");
        await Expect(page.GetByLabel("Gender")).ToHaveValueAsync("female");
        await Expect(page.GetByLabel("Email")).ToHaveValueAsync("jane.doe@example.com");
        await Expect(page.GetByLabel("Phone")).ToHaveValueAsync("555-010-2000");
    }

    /// <summary>Remembers the form element now, so that <see cref="WaitForTheFormRenderedAnewAsync"/> can tell a new one.</summary>
    private static Task MarkTheFormAsync(IPage page) =>
        page.EvaluateAsync("() => { window.formBeforeDrop = document.getElementById('add-patient-form'); }");

    /// <summary>Waits until the page has rendered its patients page anew: a form element other than the marked one.</summary>
    private static Task WaitForTheFormRenderedAnewAsync(IPage page) =>
        page.WaitForFunctionAsync(
            "() => { const f = document.getElementById('add-patient-form'); return f !== null && f !== window.formBeforeDrop; }",
            null,
            new() { Timeout = 20000 });
}
