using System.Diagnostics;
using System.Text.RegularExpressions;
using Portal.Host.Configuration;
using Portal.Host.Standalone;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>The portal run as its own process in standalone mode, as a newcomer or the Docker line runs it.</summary>
public sealed partial class StandaloneProcessTests
{
    [Fact]
    public async Task Standalone_HostKilledWithSigkill_TakesItsNatsServerWithIt()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string?>
        {
            ["STANDALONE_MODE"] = "true",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LocalNatsServer.FreePort()}",
        });
        int? natsPid = null;
        try
        {
            var started = await host.LineAsync(StartedNatsServer()).WaitAsync(TimeSpan.FromSeconds(30));
            natsPid = int.Parse(started.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(IsRunning(natsPid.Value), "nats-server was not running once the host said it started it");

            // A SIGKILL runs none of the host's exit handlers: only the kernel can stop the child now.
            host.Process.Kill();
            await host.Process.WaitForExitAsync();

            await Eventually.HoldsAsync(() => Task.FromResult(!IsRunning(natsPid.Value)), TimeSpan.FromSeconds(5));
        }
        finally
        {
            // Had the kernel not stopped it, the test does, so that no server outlives it.
            if (natsPid is { } pid && IsRunning(pid))
            {
                Process.GetProcessById(pid).Kill();
            }
        }
    }

    [Fact]
    public async Task Standalone_ProductionImageWithoutNatsUrl_ServesTheDemoOnItsOwnLoopbackServer()
    {
        // The seed's Docker line: the image sets ENV=production, the operator adds STANDALONE_MODE=true.
        var address = new Uri($"http://127.0.0.1:{LocalNatsServer.FreePort()}/");
        await using var host = HostProcess.Start(new Dictionary<string, string?>
        {
            ["STANDALONE_MODE"] = "true",
            ["ENV"] = "production",
            ["ASPNETCORE_URLS"] = address.ToString(),
        });

        var started = await host.LineAsync(StartedNatsServer()).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("127.0.0.1", started.Groups["host"].Value);
        await HostProcess.WaitForReadyzAsync(address, TimeSpan.FromSeconds(30));

        await using var client = await PortalClient.ConnectAsync(address);
        var login = await client.AskAsync(EventNames.AuthLogin, new { email = "demo@htpi.com", password = "demo123", requestId = "r-1" });
        Assert.True(login.GetProperty("success").GetBoolean());
        Assert.DoesNotContain(host.Stdout, l => l.Contains("answer demo logins", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Standalone_CtrlCInTheTerminal_DrainsWhileItsNatsServerStillServesThenStopsIt()
    {
        var address = new Uri($"http://127.0.0.1:{LocalNatsServer.FreePort()}/");
        await using var host = HostProcess.Start(new Dictionary<string, string?>
        {
            ["STANDALONE_MODE"] = "true",
            ["ASPNETCORE_URLS"] = address.ToString(),
            ["DRAIN_TIMEOUT_SECONDS"] = "60",
        });
        var started = await host.LineAsync(StartedNatsServer()).WaitAsync(TimeSpan.FromSeconds(30));
        var natsPid = int.Parse(started.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            await HostProcess.WaitForReadyzAsync(address, TimeSpan.FromSeconds(30));
            await using var client = await PortalClient.ConnectAsync(address);
            var login = await client.AskAsync(EventNames.AuthLogin, new { email = "demo@htpi.com", password = "demo123" });
            Assert.True(login.GetProperty("success").GetBoolean());

            // Ctrl+C: the terminal signals the whole foreground process group, the host and what it started.
            host.SignalGroup(UnixSignal.Interrupt);
            var status = await client.NextAsync(EventNames.ConnectionStatus, p => p.Payload.TryGetProperty("draining", out var d) && d.GetBoolean());
            Assert.Equal("ok", status.Payload.GetProperty("nats").GetString());

            // The socket is still served over NATS while it drains: the demo services answer through nats-server.
            var tenants = await client.AskAsync(EventNames.TenantsList, new { requestId = "while-draining" });
            Assert.False(tenants.TryGetProperty("error", out _), $"answered with an error while draining: {tenants}");
            Assert.True(IsRunning(natsPid), "nats-server stopped with the Ctrl+C, before the drain was over");

            await client.DisposeAsync();
            Assert.Equal(0, await host.ExitCodeAsync(TimeSpan.FromSeconds(15)));
            Assert.DoesNotContain(host.Stdout, l => l.Contains("NATS link lost", StringComparison.Ordinal));
            await Eventually.HoldsAsync(() => Task.FromResult(!IsRunning(natsPid)), TimeSpan.FromSeconds(5));
        }
        finally
        {
            if (IsRunning(natsPid))
            {
                Process.GetProcessById(natsPid).Kill();
            }
        }
    }

    [Fact]
    public async Task Standalone_ProductionWithExternalNatsUrl_RefusesToStartWithOneLineAndExitCode2()
    {
        // No server listens there: the host must refuse before it tries to connect.
        await using var host = HostProcess.Start(new Dictionary<string, string?>
        {
            ["STANDALONE_MODE"] = "true",
            ["ENV"] = "production",
            ["NATS_URL"] = $"nats://127.0.0.1:{LocalNatsServer.FreePort()}",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LocalNatsServer.FreePort()}",
        });

        Assert.Equal(2, await host.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(host.Stderr, l => l.Length > 0);
        Assert.Equal(PortalHostSettings.StandaloneOnSharedBusInProduction, line);
        Assert.Contains(PortalHostSettings.StandaloneKey, line, StringComparison.Ordinal);
    }

    /// <summary>Alive and not a zombie waiting to be reaped (a container's first process may never reap it).</summary>
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    // In production the line is compact JSON, where the URL is quoted (\").
    [GeneratedRegex(@"started nats-server \(pid (?<pid>\d+)\) at \W*nats://(?<host>[^:]+):\d+")]
    private static partial Regex StartedNatsServer();
}
