using Microsoft.Playwright;
using NATS.Client.Core;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.BrowserTests.Infrastructure;

/// <summary>
/// The whole portal (a real nats-server, the demo services, the host on real Kestrel: the
/// integration tests' <see cref="PortalWithDemoFixture"/>) plus one headless Debian Chromium
/// driven by Playwright, shared by the browser tests. Each test gets its own browser context, so
/// sessionStorage never leaks between tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium without its shell wrapper; <c>CHROMIUM_PATH</c> overrides it.</summary>
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path
        ? path
        : "/usr/lib/chromium/chromium";

    private static readonly string[] s_chromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private readonly PortalWithDemoFixture _portal = new();
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Address => _portal.Portal.Address;

    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        // Fail loudly, never skip: a browser suite that did not run must not look green.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {ChromiumPath}. Install it with `apt-get install chromium` (scripts/test.sh does), "
                + "or point CHROMIUM_PATH at a Chromium binary.");
        }

        var bundle = Path.Combine(RepositoryRoot(), "src", "Portal.Host", "wwwroot", "app.js");
        if (!File.Exists(bundle))
        {
            throw new InvalidOperationException(
                $"The browser bundle {bundle} is missing. Build it with `cd src/Portal.Web && npm ci && npm run build` "
                + "(scripts/test.sh and scripts/run-demo.sh do).");
        }

        await _portal.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = s_chromiumArgs,
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        await _portal.DisposeAsync();
    }

    /// <summary>
    /// A fresh browser context and page on the shared portal, or on <paramref name="portal"/> (a test's own
    /// <see cref="IsolatedPortal"/>, for tests that change the demo data or stop NATS); disposing it saves the screenshot.
    /// </summary>
    public async Task<PageSession> OpenAsync(string testName, ViewportSize? viewport = null, IsolatedPortal? portal = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (portal?.Portal.Address ?? Address).ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1280, Height = 860 },
        });
        var page = await context.NewPageAsync();
        return new PageSession(context, page, testName);
    }

    /// <summary>Publishes a broadcast as an HTPI service would.</summary>
    public async Task PublishAsync(string subject, string json)
    {
        await using var nats = _portal.Nats();
        await nats.ConnectAsync();
        await nats.PublishAsync(subject, System.Text.Encoding.UTF8.GetBytes(json));
        await nats.PingAsync();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HtpiActors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"HtpiActors.sln not found above {AppContext.BaseDirectory}.");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "portal in a browser";
}

/// <summary>One test's browser context and page; disposing saves <c>screenshots/&lt;test&gt;.png</c> of the last page.</summary>
public sealed class PageSession(IBrowserContext context, IPage page, string testName) : IAsyncDisposable
{
    public IPage Page { get; } = page;

    public string ScreenshotPath { get; } = Path.Combine(BrowserFixture.ScreenshotDirectory, $"{testName}.png");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = ScreenshotPath, FullPage = true });
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
