using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.BrowserTests.Infrastructure;

/// <summary>What the page tests do to the portal page more than once.</summary>
public static class PortalPage
{
    /// <summary>Signs in from the login page (opening <c>/</c> first unless told not to) and waits for the tenant list.</summary>
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
        await Expect(page).ToHaveURLAsync(new Regex("#/tenants$"));
    }

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
