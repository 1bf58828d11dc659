using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Portal.DemoServices.Tests.Integration;

/// <summary>nats-server plus the demo services running in-process, with a short live interval.</summary>
public sealed class DemoServicesFixture : IAsyncLifetime
{
    public static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(300);

    private ServiceProvider? _provider;
    private IHostedService? _service;

    public NatsServerFixture Nats { get; } = new();

    public IServiceProvider Services => _provider ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        await Nats.InitializeAsync();
        _provider = new ServiceCollection().AddHtpiDemoServices(Nats.Url, LiveInterval).BuildServiceProvider();
        _service = _provider.GetServices<IHostedService>().Single();
        // StartAsync returns once every subscription is on the server.
        await _service.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        // The server must go even when stopping the demo fails, or it outlives the test run.
        try
        {
            if (_service is not null)
            {
                await _service.StopAsync(CancellationToken.None);
            }
            if (_provider is not null)
            {
                await _provider.DisposeAsync();
            }
        }
        finally
        {
            await Nats.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DemoServicesCollection : ICollectionFixture<DemoServicesFixture>
{
    public const string Name = "demo services";
}
