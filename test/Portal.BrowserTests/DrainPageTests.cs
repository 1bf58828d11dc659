using Microsoft.Extensions.DependencyInjection;
using Portal.BrowserTests.Infrastructure;
using Portal.Host.Browser;
using Portal.Host.Lifecycle;
using Portal.IntegrationTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>
/// A node that drains tells its sockets <c>connection:status {draining: true}</c>: the page leaves at once
/// and reconnects (behind a load balancer, to another node) instead of waiting to be closed at the end of the drain.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DrainPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Draining_TheNodeSaysSo_ThePageLeavesAtOnceAndReconnects()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var session = await fixture.OpenAsync(nameof(Draining_TheNodeSaysSo_ThePageLeavesAtOnceAndReconnects), portal: portal);
        var page = session.Page;
        await LoginAsync(page, "john@example.com", "password123");
        await Expect(page.Locator("#connection-status")).ToHaveAttributeAsync("data-state", "connected");
        var push = portal.Portal.Services.GetRequiredService<HubBrowserPush>();
        Assert.Single(push.ConnectionIds);
        var negotiations = 0;
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/hubs/portal/negotiate", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref negotiations);
            }
        };

        // The drain would wait 25 s (the default) for the socket; the page leaves on its own well before.
        var drain = portal.Portal.Services.GetRequiredService<NodeDrain>().RunAsync();
        await drain.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(push.ConnectionIds);
        await Eventually.HoldsAsync(() => Task.FromResult(Volatile.Read(ref negotiations) > 0), TimeSpan.FromSeconds(5));
    }
}
