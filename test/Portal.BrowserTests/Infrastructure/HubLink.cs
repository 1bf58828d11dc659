using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.BrowserTests.Infrastructure;

/// <summary>
/// A page's link to the hub, routed through the test so it can be cut as a network drop would and kept
/// down: every hub socket goes through the test, and while the link is down the page's negotiate requests
/// (SignalR starts each reconnect attempt with one) are held, not failed, until <see cref="RestoreAsync"/>.
/// Route it before the page is opened.
/// </summary>
public sealed class HubLink
{
    private readonly object _gate = new();
    private readonly List<(IWebSocketRoute Page, IWebSocketRoute Server)> _open = [];
    private readonly List<IRoute> _held = [];
    private bool _down;

    private HubLink()
    {
    }

    /// <summary>How many hub sockets the page has opened.</summary>
    public int Sockets { get; private set; }

    public static async Task<HubLink> RouteAsync(IPage page)
    {
        var link = new HubLink();
        await page.RouteWebSocketAsync(new Regex("/hubs/portal"), ws =>
        {
            lock (link._gate)
            {
                link._open.Add((ws, ws.ConnectToServer()));
                link.Sockets++;
            }
        });
        await page.RouteAsync(new Regex("/hubs/portal/negotiate"), async route =>
        {
            lock (link._gate)
            {
                if (link._down)
                {
                    link._held.Add(route);
                    return;
                }
            }

            await route.ContinueAsync();
        });
        return link;
    }

    /// <summary>Closes the open hub sockets on both ends and holds every reconnect until <see cref="RestoreAsync"/>.</summary>
    public async Task CutAsync()
    {
        (IWebSocketRoute Page, IWebSocketRoute Server)[] open;
        lock (_gate)
        {
            _down = true;
            open = [.. _open];
            _open.Clear();
        }

        foreach (var (page, server) in open)
        {
            await page.CloseAsync(new() { Code = 4000, Reason = "test drop" });
            await server.CloseAsync();
        }
    }

    /// <summary>Lets the held reconnect attempts, and any later one, through.</summary>
    public async Task RestoreAsync()
    {
        IRoute[] held;
        lock (_gate)
        {
            _down = false;
            held = [.. _held];
            _held.Clear();
        }

        foreach (var route in held)
        {
            await route.ContinueAsync();
        }
    }
}
