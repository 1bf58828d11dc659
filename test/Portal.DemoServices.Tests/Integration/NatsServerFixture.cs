using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.DemoServices.Tests.Integration;

/// <summary>A real nats-server on a free loopback port, shared by the integration tests.</summary>
public sealed class NatsServerFixture : IAsyncLifetime, IAsyncDisposable
{
    private const string ServerPath = "/usr/sbin/nats-server";
    private readonly StringBuilder _stderr = new();
    private Process? _process;

    public int Port { get; private set; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public string ServerOutput
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task InitializeAsync() => StartAsync(FreePort());

    /// <summary>Starts the server on a given port (a test may start the demo first and NATS after).</summary>
    public async Task StartAsync(int port)
    {
        Port = port;
        _process = Process.Start(new ProcessStartInfo(ServerPath, ["-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("nats-server did not start");
        // Drain both pipes so a chatty server never blocks on a full pipe.
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nats-server exited: {ServerOutput}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"nats-server did not listen on {Port}: {ServerOutput}");
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_stderr)
        {
            _stderr.AppendLine(line);
        }
    }
}
