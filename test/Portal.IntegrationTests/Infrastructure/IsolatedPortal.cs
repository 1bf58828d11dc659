using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using Akka.Actor;
using Akka.Hosting;
using Portal.Actors;
using Portal.Actors.Connections;
using Portal.Actors.Topics;
using Portal.DemoServices;
using Portal.Host.Standalone;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// A nats-server, optionally the demo services, and the portal, owned by one test: for tests that
/// kill NATS or play a misbehaving service, which must not disturb the shared fixture.
/// </summary>
public sealed class IsolatedPortal : IAsyncDisposable
{
    private IHost? _demo;

    // JetStream's store, kept across RestartNats (the streams survive an outage) and removed at the end.
    private readonly string? _store;

    private IsolatedPortal(LocalNatsServer nats, string? store)
    {
        Nats = nats;
        _store = store;
    }

    public LocalNatsServer Nats { get; private set; }

    public PortalFactory Portal { get; private set; } = null!;

    /// <param name="jetStream">nats-server runs JetStream (the portal's history is then the shared stream).</param>
    public static async Task<IsolatedPortal> StartAsync(bool withDemo, IReadOnlyDictionary<string, string>? settings = null, bool jetStream = false)
    {
        var store = jetStream ? Directory.CreateTempSubdirectory("htpi-test-js-").FullName : null;
        var isolated = new IsolatedPortal(LocalNatsServer.Start(NullLogger.Instance, monitor: true, storeDir: store), store);
        if (withDemo)
        {
            await isolated.StartDemoAsync();
        }

        isolated.Portal = new PortalFactory(isolated.Nats.Url, settings);
        isolated.Portal.StartServer();
        await isolated.WaitForReadyzAsync(ready: true);
        return isolated;
    }

    public Task<PortalClient> ConnectAsync() => PortalClient.ConnectAsync(Portal.Address);

    /// <summary>A plain NATS client, as an HTPI service would be.</summary>
    public NatsConnection Client() => new(NatsOpts.Default with { Url = Nats.Url });

    /// <summary>Starts the demo services, with their demo data as new, unless they are running.</summary>
    public async Task StartDemoAsync()
    {
        if (_demo is null)
        {
            var demo = new HostBuilder()
                .ConfigureServices(s => s.AddLogging().AddHtpiDemoServices(Nats.Url, TimeSpan.FromHours(1)))
                .Build();
            await demo.StartAsync();
            _demo = demo;
        }
    }

    /// <summary>Stops the demo services (NATS and the portal stay up), so the test can play a service itself.</summary>
    public async Task StopDemoAsync()
    {
        if (_demo is { } demo)
        {
            _demo = null;
            await demo.StopAsync();
            demo.Dispose();
        }
    }

    /// <summary>kill -9 of nats-server.</summary>
    public void KillNats() => Nats.Kill();

    /// <summary>Starts nats-server again on the same port, as an orchestrator would.</summary>
    public void RestartNats() => Nats = LocalNatsServer.Start(NullLogger.Instance, port: Nats.Port, monitor: true, storeDir: _store);

    public Task WaitForReadyzAsync(bool ready) => Portal.WaitForReadyzAsync(ready);

    /// <summary>How many subscriptions nats-server holds on <paramref name="subject"/>, over all connections.</summary>
    public Task<int> ServerSubscriptionsOnAsync(string subject) => NatsMonitor.SubscriptionsOnAsync(Nats, subject);

    /// <summary>Sessions this node holds without a socket (waiting for <c>auth:resume</c>).</summary>
    public async Task<int> HeldSessionsAsync()
    {
        var sessions = Portal.Services.GetRequiredService<IRequiredActor<SessionManager.Key>>().ActorRef;
        var count = await sessions.Ask<SessionManager.ConnectionCount>(SessionManager.GetConnectionCount.Instance, TimeSpan.FromSeconds(5));
        return count.Held;
    }

    /// <summary>Connection actors, topics (one NATS subscription each) and feed subscribers the node holds.</summary>
    public async Task<(int Connections, int Topics, int FeedSubscribers)> ActorCountsAsync()
    {
        var sessions = Portal.Services.GetRequiredService<IRequiredActor<SessionManager.Key>>().ActorRef;
        var topics = Portal.Services.GetRequiredService<IRequiredActor<PortalActorKeys.Topics>>().ActorRef;
        var connections = await sessions.Ask<SessionManager.ConnectionCount>(SessionManager.GetConnectionCount.Instance, TimeSpan.FromSeconds(5));
        var stats = await topics.Ask<TopicProtocol.Stats>(TopicProtocol.GetStats.Instance, TimeSpan.FromSeconds(5));
        return (connections.Count, stats.Topics, stats.Subscribers);
    }

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        await StopDemoAsync();
        Nats.Dispose();
        if (_store is not null)
        {
            Directory.Delete(_store, recursive: true);
        }
    }
}
