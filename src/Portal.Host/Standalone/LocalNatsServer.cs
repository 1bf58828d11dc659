using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Portal.Host.Configuration;

namespace Portal.Host.Standalone;

/// <summary>
/// A private <c>nats-server</c> child process for <c>STANDALONE_MODE=true</c> (the seed's
/// <c>docker run -e STANDALONE_MODE=true</c>): loopback only, on a free port, killed with the host.
/// </summary>
public sealed partial class LocalNatsServer : IDisposable
{
    public const string MissingBinary = "STANDALONE_MODE needs nats-server on PATH (apt-get install nats-server)";

    private static readonly TimeSpan StartupWait = TimeSpan.FromSeconds(10);

    private readonly ParentBoundProcess _child;
    private readonly ILogger _logger;
    private readonly bool _ownsStore;
    private int _stopped;

    private LocalNatsServer(ParentBoundProcess child, int port, int? monitorPort, string? storeDir, bool ownsStore, ILogger logger)
    {
        _child = child;
        _logger = logger;
        StoreDir = storeDir;
        _ownsStore = ownsStore;
        Port = port;
        Url = $"nats://127.0.0.1:{port}";
        MonitorUrl = monitorPort is { } m ? new Uri($"http://127.0.0.1:{m}/") : null;

        // A stop of the host (Ctrl+C, SIGTERM) stops the child here; a SIGKILL, which runs no handler,
        // reaches it through the kernel (ParentBoundProcess).
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string Url { get; }

    public int Port { get; }

    /// <summary>nats-server's HTTP monitoring endpoint (<c>/connz</c>, <c>/subsz</c>), when asked for.</summary>
    public Uri? MonitorUrl { get; }

    /// <summary>JetStream's store: a temp dir of this server's own (removed when it stops), or the one it was given; null without JetStream.</summary>
    public string? StoreDir { get; }

    /// <summary>Starts nats-server and waits, bounded, until it accepts TCP connections.</summary>
    /// <exception cref="PortalStartupException">The binary is missing or the server did not come up.</exception>
    /// <param name="logger">Where the server's own lines go (debug level).</param>
    /// <param name="binary">The nats-server executable.</param>
    /// <param name="port">A fixed port (e.g. to restart on the same one); a free one when null.</param>
    /// <param name="monitor">Also open the HTTP monitoring endpoint on a free port.</param>
    /// <param name="extraArguments">More nats-server arguments (e.g. cluster routes).</param>
    /// <param name="jetStream">Enable JetStream, stored in a temp dir of its own.</param>
    /// <param name="storeDir">Enable JetStream on this store, which outlives the server (a restart that keeps its streams).</param>
    public static LocalNatsServer Start(
        ILogger logger,
        string binary = "nats-server",
        int? port = null,
        bool monitor = false,
        IReadOnlyList<string>? extraArguments = null,
        bool jetStream = false,
        string? storeDir = null)
    {
        var listenPort = port ?? FreePort();
        int? monitorPort = monitor ? FreePort() : null;
        var ownsStore = storeDir is null && jetStream;
        storeDir ??= jetStream ? Directory.CreateTempSubdirectory("htpi-nats-js-").FullName : null;
        var info = new ProcessStartInfo(binary)
        {
            ArgumentList = { "-a", "127.0.0.1", "-p", Invariant(listenPort) },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (monitorPort is { } m)
        {
            info.ArgumentList.Add("-m");
            info.ArgumentList.Add(Invariant(m));
        }

        if (storeDir is not null)
        {
            info.ArgumentList.Add("-js");
            info.ArgumentList.Add("-sd");
            info.ArgumentList.Add(storeDir);
        }

        foreach (var argument in extraArguments ?? [])
        {
            info.ArgumentList.Add(argument);
        }

        ParentBoundProcess child;
        try
        {
            child = ParentBoundProcess.Start(info);
        }
        catch (Win32Exception)
        {
            if (ownsStore)
            {
                RemoveStore(storeDir);
            }

            throw new PortalStartupException(MissingBinary);
        }

        var process = child.Process;
        var server = new LocalNatsServer(child, listenPort, monitorPort, storeDir, ownsStore, logger);

        // Drain both pipes so nats-server never blocks on a full one; its lines go to debug.
        process.ErrorDataReceived += server.OnServerLine;
        process.OutputDataReceived += server.OnServerLine;
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        if (!server.WaitUntilListening(listenPort))
        {
            var exited = process.HasExited;
            server.Dispose();
            throw new PortalStartupException(exited
                ? $"STANDALONE_MODE: nats-server exited at start (port {listenPort})."
                : $"STANDALONE_MODE: nats-server did not accept connections on port {listenPort} within {StartupWait.TotalSeconds:0} s.");
        }

        LogStarted(logger, process.Id, server.Url);
        if (storeDir is not null)
        {
            LogJetStream(logger, storeDir);
        }

        return server;
    }

    /// <summary>Kills the server at once (SIGKILL), as a crash would.</summary>
    public void Kill() => Dispose();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            if (!_child.Process.HasExited)
            {
                _child.Process.Kill(entireProcessTree: true);
                _child.Process.WaitForExit(TimeSpan.FromSeconds(5));
                LogStopped(_logger, _child.Process.Id);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _child.Dispose();
        if (_ownsStore)
        {
            RemoveStore(StoreDir);
        }
    }

    // After the server is gone, which holds the store's files open while it runs.
    private static void RemoveStore(string? storeDir)
    {
        try
        {
            if (storeDir is not null && Directory.Exists(storeDir))
            {
                Directory.Delete(storeDir, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp dir left behind is harmless; the stop must not fail for it.
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private void OnServerLine(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is { Length: > 0 } line)
        {
            LogServerLine(_logger, line);
        }
    }

    private bool WaitUntilListening(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartupWait && !_child.Process.HasExited)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return false;
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        // The port is free now; nats-server takes it a moment later (a tiny race, fine for a demo).
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Standalone: started nats-server (pid {Pid}) at {Url}")]
    private static partial void LogStarted(ILogger logger, int pid, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standalone: nats-server runs JetStream, stored in {StoreDir}")]
    private static partial void LogJetStream(ILogger logger, string storeDir);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standalone: stopped nats-server (pid {Pid})")]
    private static partial void LogStopped(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "nats-server: {Line}")]
    private static partial void LogServerLine(ILogger logger, string line);
}
