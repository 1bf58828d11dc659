using System.Diagnostics;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>
/// Stopping a node from code (the host's StopAsync, as a test or an embedding host does): sockets are told,
/// new ones refused, the stop waits for them. What a real SIGTERM or Ctrl+C does is <see cref="SignalDrainTests"/>.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class DrainTests
{
    [Fact]
    public async Task Stop_WithAnOpenSocket_TellsItDrainingRefusesNewSocketsAndEndsWhenItLeaves()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false, new Dictionary<string, string> { ["DRAIN_TIMEOUT_SECONDS"] = "30" });
        var client = await PortalClient.ConnectAsync(portal.Portal.Address);
        using var http = new HttpClient { BaseAddress = portal.Portal.Address };
        var clock = Stopwatch.StartNew();

        var stopping = Task.Run(async () => await portal.Portal.DisposeAsync());

        var status = await client.NextAsync(EventNames.ConnectionStatus, p => p.Payload.TryGetProperty("draining", out var d) && d.GetBoolean());
        Assert.Equal("ok", status.Payload.GetProperty("nats").GetString());
        Assert.Equal(503, (int)(await http.GetAsync("readyz")).StatusCode);
        Assert.Equal(503, (int)(await http.PostAsync("hubs/portal/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(200, (int)(await http.GetAsync("healthz")).StatusCode);
        Assert.False(stopping.IsCompleted, "the stop must wait for the open socket");

        // The browser reconnects elsewhere: once its socket has left, the node stops without waiting out the timeout.
        await client.DisposeAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"stopped after {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains(portal.Portal.Logs.Lines, l => l.Contains("Drained: every socket left", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_SocketThatStays_IsClosedWhenTheDrainTimeoutIsUp()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false, new Dictionary<string, string> { ["DRAIN_TIMEOUT_SECONDS"] = "2" });
        await using var client = await PortalClient.ConnectAsync(portal.Portal.Address);
        var closed = new TaskCompletionSource();
        client.Connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        var clock = Stopwatch.StartNew();

        await portal.Portal.DisposeAsync();

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(15));
        await client.NextAsync(EventNames.ConnectionStatus, p => p.Payload.TryGetProperty("draining", out var d) && d.GetBoolean());
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(portal.Portal.Logs.Lines, l => l.Contains("Drain time is up", StringComparison.Ordinal));
    }
}
