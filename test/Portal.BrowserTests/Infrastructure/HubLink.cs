using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Portal.BrowserTests.Infrastructure;

/// <summary>
/// A page's link to the hub, routed through the test so it can be cut as a network drop would and kept
/// down: every hub socket goes through the test, and while the link is down the page's negotiate requests
/// (SignalR starts each reconnect attempt with one) are held, not failed, until <see cref="RestoreAsync"/>.
/// Route it before the page is opened. <see cref="FreezeAsync"/> makes the open sockets silent instead, as a
/// network that went away without a word does: nothing passes either way and neither end is told.
/// </summary>
public sealed class HubLink
{
    private readonly object _gate = new();
    private readonly List<(IWebSocketRoute Page, IWebSocketRoute Server)> _open = [];
    private readonly List<IRoute> _held = [];
    private readonly HashSet<IWebSocketRoute> _frozen = [];
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
            var server = ws.ConnectToServer();
            lock (link._gate)
            {
                link._open.Add((ws, server));
                link.Sockets++;
            }

            // Frames are passed on by the test (not by Playwright itself) so that a frozen socket can swallow them.
            ws.OnMessage(frame => link.Pass(ws, frame, server));
            server.OnMessage(frame => link.Pass(ws, frame, ws));
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

    /// <summary>From now on nothing passes on the sockets open now, either way, and nobody closes them; later sockets pass.</summary>
    public Task FreezeAsync()
    {
        lock (_gate)
        {
            foreach (var (page, _) in _open)
            {
                _frozen.Add(page);
            }

            _open.Clear();
        }

        return Task.CompletedTask;
    }

    private void Pass(IWebSocketRoute socket, IWebSocketFrame frame, IWebSocketRoute to)
    {
        lock (_gate)
        {
            if (_frozen.Contains(socket))
            {
                return;
            }
        }

        if (frame.Text is { } text)
        {
            to.Send(text);
        }
        else if (frame.Binary is { } binary)
        {
            to.Send(binary);
        }
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
