using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using Portal.DemoServices;
using Portal.Host.Standalone;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// Scale-out as Kubernetes runs it: one nats-server (with monitoring), the demo services, and two
/// portal nodes on two ports that share nothing but NATS.
/// </summary>
public sealed class TwoNodes : IAsyncDisposable
{
    private readonly IHost _demo;

    private TwoNodes(LocalNatsServer nats, IHost demo, PortalFactory a, PortalFactory b)
    {
        Nats = nats;
        _demo = demo;
        A = a;
        B = b;
    }

    public LocalNatsServer Nats { get; }

    public PortalFactory A { get; }

    public PortalFactory B { get; }

    /// <param name="jetStream">nats-server runs JetStream: both nodes share the history stream.</param>
    /// <param name="settings">Portal settings for both nodes.</param>
    public static async Task<TwoNodes> StartAsync(bool jetStream = false, IReadOnlyDictionary<string, string>? settings = null)
    {
        var nats = LocalNatsServer.Start(NullLogger.Instance, monitor: true, jetStream: jetStream);
        var demo = new HostBuilder()
            .ConfigureServices(s => s.AddLogging().AddHtpiDemoServices(nats.Url, TimeSpan.FromHours(1)))
            .Build();
        await demo.StartAsync();

        var a = new PortalFactory(nats.Url, settings);
        var b = new PortalFactory(nats.Url, settings);
        a.StartServer();
        b.StartServer();
        var nodes = new TwoNodes(nats, demo, a, b);
        await a.WaitForReadyzAsync();
        await b.WaitForReadyzAsync();
        return nodes;
    }

    public NatsConnection Client() => new(NatsOpts.Default with { Url = Nats.Url });

    /// <summary>How many subscriptions nats-server holds on <paramref name="subject"/>, over all connections.</summary>
    public Task<int> ServerSubscriptionsOnAsync(string subject) => NatsMonitor.SubscriptionsOnAsync(Nats, subject);

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        await _demo.StopAsync();
        _demo.Dispose();
        Nats.Dispose();
    }
}
