using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>The real portal host on a real Kestrel socket (a free loopback port), pointed at a given NATS.</summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    private readonly string _natsUrl;
    private readonly IReadOnlyDictionary<string, string> _settings;

    public PortalFactory(string natsUrl, IReadOnlyDictionary<string, string>? settings = null)
    {
        _natsUrl = natsUrl;
        _settings = settings ?? new Dictionary<string, string>();

        // Called on this subclass, not on a WithWebHostBuilder copy, or it is silently ignored.
        UseKestrel(0);
    }

    public CapturedLogs Logs { get; } = new();

    /// <summary>The portal's real address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address => ClientOptions.BaseAddress;

    /// <summary>Waits (bounded) until <c>/readyz</c> says <paramref name="ready"/>.</summary>
    public async Task WaitForReadyzAsync(bool ready = true, TimeSpan? within = null)
    {
        using var http = new HttpClient { BaseAddress = Address };
        await Eventually.HoldsAsync(async () => (await http.GetAsync("readyz")).IsSuccessStatusCode == ready, within ?? TimeSpan.FromSeconds(15));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("NATS_URL", _natsUrl);
        builder.UseSetting("REQUEST_TIMEOUT_SECONDS", "2");
        builder.UseSetting("ENV", "development");

        // A socket a test left open must not hold the host's stop for the production 25 s.
        builder.UseSetting("DRAIN_TIMEOUT_SECONDS", "3");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services => services.AddSingleton<ILogEventSink>(Logs));
    }
}
