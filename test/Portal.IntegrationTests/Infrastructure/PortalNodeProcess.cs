using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.DemoServices;
using Portal.Host.Standalone;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// One portal node as Kubernetes runs it: the host as its own OS process on a real nats-server, with
/// the demo services answering logins from this test process. For what only a signal shows.
/// Disposing stops all three, the host with SIGKILL if it still runs.
/// </summary>
public sealed class PortalNodeProcess : IAsyncDisposable
{
    private readonly LocalNatsServer _nats;
    private readonly IHost _demo;

    private PortalNodeProcess(LocalNatsServer nats, IHost demo, HostProcess host, Uri address)
    {
        _nats = nats;
        _demo = demo;
        Host = host;
        Address = address;
    }

    public HostProcess Host { get; }

    /// <summary>The node's address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    public static async Task<PortalNodeProcess> StartAsync(int drainTimeoutSeconds)
    {
        var nats = LocalNatsServer.Start(NullLogger.Instance);
        var demo = new HostBuilder()
            .ConfigureServices(s => s.AddLogging().AddHtpiDemoServices(nats.Url, TimeSpan.FromHours(1)))
            .Build();
        try
        {
            await demo.StartAsync();
        }
        catch
        {
            demo.Dispose();
            nats.Dispose();
            throw;
        }

        // A free port is picked before the host binds it, so another process may take it meanwhile: a host
        // that exits before it is ready is started again, once, on another port.
        for (var attempt = 1; ; attempt++)
        {
            var address = new Uri($"http://127.0.0.1:{LocalNatsServer.FreePort()}/");
            var host = HostProcess.Start(new Dictionary<string, string?>
            {
                ["NATS_URL"] = nats.Url,
                ["ASPNETCORE_URLS"] = address.ToString(),
                ["DRAIN_TIMEOUT_SECONDS"] = drainTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            try
            {
                await HostProcess.WaitForReadyzAsync(address, TimeSpan.FromSeconds(30), host.Process);
                return new PortalNodeProcess(nats, demo, host, address);
            }
            catch (Exception e)
            {
                var exited = host.Process.HasExited;
                var transcript = host.Transcript;
                await host.DisposeAsync();
                if (exited && attempt == 1)
                {
                    continue;
                }

                await demo.StopAsync();
                demo.Dispose();
                nats.Dispose();
                throw new InvalidOperationException($"The host never became ready (attempt {attempt}); its output:{Environment.NewLine}{transcript}", e);
            }
        }
    }

    public HttpClient Http() => new() { BaseAddress = Address };

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _demo.StopAsync();
        _demo.Dispose();
        _nats.Dispose();
    }
}
