using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Portal.DemoServices.Tests.Integration;

/// <summary>The portal may start before NATS: the demo must neither block the host nor give up.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task StartAsync_NatsNotUpYet_ReturnsThenSubscribesWhenNatsComes()
    {
        var port = NatsServerFixture.FreePort();
        var services = new ServiceCollection().AddHtpiDemoServices($"nats://127.0.0.1:{port}", TimeSpan.FromSeconds(30));
        services.AddSingleton(DemoServicesOptions.Default with
        {
            NatsUrl = $"nats://127.0.0.1:{port}",
            StartupWait = TimeSpan.FromMilliseconds(300),
        });
        await using var provider = services.BuildServiceProvider();
        var demo = provider.GetRequiredService<DemoServicesHostedService>();
        var hosted = provider.GetServices<IHostedService>().Single();
        Assert.Same(demo, hosted);

        var clock = Stopwatch.StartNew();
        await hosted.StartAsync(CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.False(demo.Ready.IsCompleted);

        await using var nats = new NatsServerFixture();
        await nats.StartAsync(port);
        await demo.Ready.WaitAsync(TimeSpan.FromSeconds(15));

        await using var client = await TestClient.ConnectAsync(nats.Url);
        var answer = await client.RequestAsync("htpi.auth.verify", new JsonObject { ["token"] = "x" }, null);
        Assert.False((bool)answer["valid"]!);

        clock.Restart();
        await hosted.StopAsync(CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task StopAsync_NatsNeverCame_EndsPromptly()
    {
        var services = new ServiceCollection().AddHtpiDemoServices($"nats://127.0.0.1:{NatsServerFixture.FreePort()}");
        services.AddSingleton(DemoServicesOptions.Default with
        {
            NatsUrl = $"nats://127.0.0.1:{NatsServerFixture.FreePort()}",
            StartupWait = TimeSpan.FromMilliseconds(100),
        });
        await using var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().Single();
        await hosted.StartAsync(CancellationToken.None);

        var clock = Stopwatch.StartNew();
        await hosted.StopAsync(CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }
}
