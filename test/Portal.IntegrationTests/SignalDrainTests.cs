using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;
using Xunit.Abstractions;

namespace Portal.IntegrationTests;

/// <summary>
/// The drain on a real signal: the host runs as its own OS process, as Kubernetes runs it, with three
/// sockets open (two logged in, one anonymous), and gets SIGTERM (the pod stopping) or SIGINT (Ctrl+C,
/// which may arrive twice: the terminal signals the whole process group, and <c>dotnet run</c> may pass it on).
/// Each test prints, from the signal on, when each socket was told and when it closed, and when the host exited.
/// </summary>
public sealed partial class SignalDrainTests(ITestOutputHelper output)
{
    /// <summary>What the node allows on top of the drain timeout for the rest of its stop (docs/DEPLOYMENT.md).</summary>
    private static readonly TimeSpan RestOfTheStop = TimeSpan.FromSeconds(5);

    /// <summary>The host's window in which the same signal again is the same stop (DrainingLifetime).</summary>
    private static readonly TimeSpan DuplicateWindow = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Sigterm_SocketsThatStay_EachToldDrainingThenClosedCleanlyAndTheHostExitsZeroAfterTheTimeout()
    {
        const int drainSeconds = 4;
        await using var node = await PortalNodeProcess.StartAsync(drainSeconds);
        var sockets = await OpenThreeAsync(node.Address, leaveWhenTold: false);
        using var http = node.Http();

        var signalled = Stopwatch.GetTimestamp();
        node.Host.Signal(UnixSignal.Terminate);
        try
        {
            await AllToldDrainingAsync(sockets);

            // Still draining (the sockets stay, the timeout is seconds away): out of service, nothing new lands.
            Assert.Equal(503, (int)(await http.GetAsync("readyz")).StatusCode);
            Assert.Equal(503, (int)(await http.PostAsync("hubs/portal/negotiate?negotiateVersion=1", null)).StatusCode);
            Assert.Equal(200, (int)(await http.GetAsync("healthz")).StatusCode);
            Assert.All(sockets, s => Assert.False(s.Closed.IsCompleted, $"{s.Name} closed before the drain timeout"));

            // A socket that has not left yet is still served: its actors and NATS run until the drain is over.
            var tenants = await sockets[0].Client.AskAsync(EventNames.TenantsList, new { requestId = "while-draining" });
            Assert.True(tenants.GetProperty("tenants").GetArrayLength() > 0, $"no tenants while draining: {tenants}");

            Assert.Equal(0, await node.Host.ExitCodeAsync(TimeSpan.FromSeconds(drainSeconds) + RestOfTheStop));
            await AllClosedAfterToldAsync(sockets, clean: true);
            Assert.Contains(node.Host.Stdout, l => l.Contains("Drain time is up", StringComparison.Ordinal));
        }
        finally
        {
            Report(node, sockets, signalled);
        }
    }

    [Fact]
    public async Task Sigterm_SocketsThatLeaveWhenTold_HostExitsZeroWithoutWaitingOutTheTimeout()
    {
        const int drainSeconds = 60;
        await using var node = await PortalNodeProcess.StartAsync(drainSeconds);
        var sockets = await OpenThreeAsync(node.Address, leaveWhenTold: true);

        var signalled = Stopwatch.GetTimestamp();
        node.Host.Signal(UnixSignal.Terminate);
        try
        {
            // Well inside the 60 s: the drain ends when the last socket has left.
            Assert.Equal(0, await node.Host.ExitCodeAsync(TimeSpan.FromSeconds(15)));
            await AllClosedAfterToldAsync(sockets, clean: true);
            Assert.Contains(node.Host.Stdout, l => l.Contains("Drained: every socket left", StringComparison.Ordinal));
        }
        finally
        {
            Report(node, sockets, signalled);
        }
    }

    [Fact]
    public async Task Sigint_TwiceWithinASecond_IsOneStopTheDrainRunsAndWaitsForTheSockets()
    {
        await using var node = await PortalNodeProcess.StartAsync(drainTimeoutSeconds: 60);
        var sockets = await OpenThreeAsync(node.Address, leaveWhenTold: false);
        using var http = node.Http();

        // A Ctrl+C the host hears twice: the second is sent once the first was heard, so neither is merged into the other.
        var signalled = Stopwatch.GetTimestamp();
        node.Host.Signal(UnixSignal.Interrupt);
        try
        {
            await node.Host.LineAsync(Heard("SIGINT")).WaitAsync(TimeSpan.FromSeconds(10));
            node.Host.Signal(UnixSignal.Interrupt);
            Assert.True(Stopwatch.GetElapsedTime(signalled) < DuplicateWindow, "the second SIGINT went out too late to test the duplicate");
            await node.Host.LineAsync(HeardAgainWithinTheWindow()).WaitAsync(TimeSpan.FromSeconds(10));

            await AllToldDrainingAsync(sockets);
            Assert.DoesNotContain(node.Host.Stdout, l => l.Contains("stopping without waiting", StringComparison.Ordinal));
            Assert.Equal(503, (int)(await http.GetAsync("readyz")).StatusCode);
            Assert.All(sockets, s => Assert.False(s.Closed.IsCompleted, $"{s.Name} was closed: the duplicate SIGINT stopped the drain"));

            // The sockets leave, as browsers told to reconnect do: the drain is over and the host exits.
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }

            Assert.Equal(0, await node.Host.ExitCodeAsync(TimeSpan.FromSeconds(15)));
            Assert.Contains(node.Host.Stdout, l => l.Contains("Drained: every socket left", StringComparison.Ordinal));
        }
        finally
        {
            Report(node, sockets, signalled);
        }
    }

    [Fact]
    public async Task Sigterm_AgainAfterTheDuplicateWindow_StopsWithoutWaitingForTheSocketsAndExitsZero()
    {
        await using var node = await PortalNodeProcess.StartAsync(drainTimeoutSeconds: 60);
        var sockets = await OpenThreeAsync(node.Address, leaveWhenTold: false);

        var signalled = Stopwatch.GetTimestamp();
        node.Host.Signal(UnixSignal.Terminate);
        try
        {
            await node.Host.LineAsync(Heard("SIGTERM")).WaitAsync(TimeSpan.FromSeconds(10));
            var heard = Stopwatch.GetTimestamp();
            await AllToldDrainingAsync(sockets);

            // The host took the first signal no later than the test read its line: once the window has passed
            // since then, the same signal is a second one ("stop now").
            var rest = DuplicateWindow + TimeSpan.FromMilliseconds(100) - Stopwatch.GetElapsedTime(heard);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }

            node.Host.Signal(UnixSignal.Terminate);

            // Far from the 60 s drain: the sockets still open are closed at once, each after its draining push.
            Assert.Equal(0, await node.Host.ExitCodeAsync(TimeSpan.FromSeconds(10)));
            await AllClosedAfterToldAsync(sockets, clean: true);
            Assert.Contains(node.Host.Stdout, l => l.Contains("SIGTERM again: stopping without waiting", StringComparison.Ordinal));
            Assert.Contains(node.Host.Stdout, l => l.Contains("Drain cut short", StringComparison.Ordinal));
        }
        finally
        {
            Report(node, sockets, signalled);
        }
    }

    private static async Task<WatchedSocket[]> OpenThreeAsync(Uri address, bool leaveWhenTold) =>
    [
        await WatchedSocket.LoggedInAsync(address, "demo (logged in)", "demo@htpi.com", "demo123", leaveWhenTold),
        await WatchedSocket.LoggedInAsync(address, "john (logged in)", "john@example.com", "password123", leaveWhenTold),
        await WatchedSocket.AnonymousAsync(address, "anonymous", leaveWhenTold),
    ];

    private static async Task AllToldDrainingAsync(IEnumerable<WatchedSocket> sockets)
    {
        foreach (var socket in sockets)
        {
            await socket.ToldDraining.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Every socket closed, each after it was told it should move; a clean close is SignalR's close, not a dropped connection (1006).</summary>
    private static async Task AllClosedAfterToldAsync(IEnumerable<WatchedSocket> sockets, bool clean)
    {
        foreach (var socket in sockets)
        {
            var closedAt = await socket.Closed.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(socket.ToldDraining.IsCompletedSuccessfully, $"{socket.Name} closed without being told the node is draining");
            Assert.True(await socket.ToldDraining < closedAt, $"{socket.Name} closed before it was told");
            if (clean)
            {
                Assert.True(socket.CloseError is null, $"{socket.Name} closed abnormally: {socket.CloseError?.Message}");
            }
        }
    }

    /// <summary>The figures docs/RELIABILITY.md quotes, and the host's own lines, in the test's output.</summary>
    private void Report(PortalNodeProcess node, IEnumerable<WatchedSocket> sockets, long signalled)
    {
        foreach (var socket in sockets)
        {
            output.WriteLine($"{socket.Name}: told draining {Since(signalled, socket.ToldDraining)}, closed {Since(signalled, socket.Closed)}"
                + (socket.CloseError is { } error ? $" ({error.Message})" : ""));
        }

        // Process.ExitTime is on the wall clock: the signal's moment there.
        var signalledWall = DateTime.Now - Stopwatch.GetElapsedTime(signalled);
        var host = node.Host.Process;
        output.WriteLine(host.HasExited
            ? string.Create(CultureInfo.InvariantCulture, $"host exited {host.ExitCode} {(host.ExitTime - signalledWall).TotalMilliseconds:0} ms after the signal")
            : "host still running");
        output.WriteLine(node.Host.Transcript);
    }

    private static string Since(long signalled, Task<long> at) =>
        at.IsCompletedSuccessfully
            ? string.Create(CultureInfo.InvariantCulture, $"{Stopwatch.GetElapsedTime(signalled, at.Result).TotalMilliseconds:0} ms after the signal")
            : "never";

    private static Regex Heard(string signal) => new($@"\b{signal}: draining, then stopping", RegexOptions.None, TimeSpan.FromSeconds(1));

    [GeneratedRegex(@"\bSIGINT again within [\d.]+ s: the same stop")]
    private static partial Regex HeardAgainWithinTheWindow();
}
