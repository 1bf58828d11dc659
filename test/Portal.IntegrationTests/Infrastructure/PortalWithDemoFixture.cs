using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using Portal.DemoServices;
using Portal.Host.Standalone;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// A real nats-server on a free loopback port, the demo services answering on it, and the portal
/// on real Kestrel: the whole bridge, shared by the tests of one collection.
/// </summary>
public sealed class PortalWithDemoFixture : IAsyncLifetime
{
    private LocalNatsServer? _nats;
    private IHost? _demo;

    public PortalFactory Portal { get; private set; } = null!;

    public string NatsUrl => _nats!.Url;

    public async Task InitializeAsync()
    {
        _nats = LocalNatsServer.Start(NullLogger.Instance);

        // The live feed stays quiet (one tick an hour): tests publish the broadcasts they check.
        _demo = new HostBuilder()
            .ConfigureServices(s => s.AddLogging().AddHtpiDemoServices(_nats.Url, TimeSpan.FromHours(1)))
            .Build();
        await _demo.StartAsync();

        Portal = new PortalFactory(_nats.Url);
        Portal.StartServer();
        await Portal.WaitForReadyzAsync(within: TimeSpan.FromSeconds(10));
    }

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        if (_demo is not null)
        {
            await _demo.StopAsync();
            _demo.Dispose();
        }

        _nats?.Dispose();
    }

    public Task<PortalClient> ConnectAsync(WireProtocol protocol = WireProtocol.Json) => PortalClient.ConnectAsync(Portal.Address, protocol);

    /// <summary>A plain NATS client, as an HTPI service would be, for publishing broadcasts.</summary>
    public NatsConnection Nats() => new(NatsOpts.Default with { Url = NatsUrl });
}

[CollectionDefinition(Name)]
public sealed class PortalWithDemoCollection : ICollectionFixture<PortalWithDemoFixture>
{
    public const string Name = "portal with demo services";
}
