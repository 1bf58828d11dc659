using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.BrowserTests.Infrastructure;

/// <summary>What the page tests do to the portal page more than once.</summary>
public static class PortalPage
{
    /// <summary>
    /// Signs in from the login page (opening <c>/</c> first unless told not to) and waits for the page after it: the
    /// tenant list, or for a user with one organization the page that organization opens on.
    /// </summary>
    public static async Task LoginAsync(IPage page, string email, string password, bool navigate = true)
    {
        if (navigate)
        {
            await page.GotoAsync("/");
        }

        await Expect(page).ToHaveURLAsync(new Regex("#/login$"));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).Not.ToHaveURLAsync(new Regex("#/login$"));
    }

    /// <summary>
    /// Selects <paramref name="tenantName"/> on the tenant list (unless the page chose it, the user's only one) and
    /// opens its patients page from the main navigation.
    /// </summary>
    public static async Task OpenPatientsAsync(IPage page, string tenantName)
    {
        await Expect(page).ToHaveURLAsync(new Regex("#/(tenants|dashboard)$"));
        if (page.Url.EndsWith("#/tenants", StringComparison.Ordinal))
        {
            await page.GetByRole(AriaRole.Button, new() { Name = tenantName }).ClickAsync();
        }

        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await Expect(page.Locator(".page-head .muted")).ToHaveTextAsync(tenantName);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Patients" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/patients$"));
    }

    /// <summary>Picks <paramref name="tenantId"/> in the header's organization switcher and confirms with its "Switch" button.</summary>
    public static async Task SwitchOrganizationAsync(IPage page, string tenantId)
    {
        await page.Locator("#tenant-switcher").SelectOptionAsync(tenantId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch organization" }).ClickAsync();
    }

    /// <summary>
    /// Collects the text of every frame the page sends and receives on a hub socket from now on (JSON hub
    /// protocol: one message per frame, e.g. <c>{"type":1,"target":"patients:add",…}</c>).
    /// </summary>
    public static HubFrames CollectHubFrames(IPage page)
    {
        var frames = new HubFrames(new ConcurrentQueue<string>(), new ConcurrentQueue<string>());
        page.WebSocket += (_, socket) =>
        {
            if (socket.Url.Contains("/hubs/portal", StringComparison.Ordinal))
            {
                socket.FrameSent += (_, frame) => frames.Sent.Enqueue(frame.Text ?? string.Empty);
                socket.FrameReceived += (_, frame) => frames.Received.Enqueue(frame.Text ?? string.Empty);
            }
        };
        return frames;
    }

    /// <summary>How many of <paramref name="frames"/> invoke <paramref name="method"/> (a hub method or, from the portal, a push).</summary>
    public static int Invocations(IEnumerable<string> frames, string method) =>
        frames.Count(f => f.Contains($"\"target\":\"{method}\"", StringComparison.Ordinal));

    /// <summary>Collects every console error and uncaught page error from now on.</summary>
    public static ConcurrentQueue<string> CollectProblems(IPage page)
    {
        var problems = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Enqueue(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Enqueue(error);
        return problems;
    }
}

/// <summary>The hub frames a page sent and received, in order.</summary>
public sealed record HubFrames(ConcurrentQueue<string> Sent, ConcurrentQueue<string> Received);
