using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Portal.Bench;

/// <summary>A child process this benchmark started; its output goes to a log file so no pipe ever fills.</summary>
internal sealed class Child : IDisposable
{
    // Every child still running, in start order, so StopAll can end them however the orchestrator ends.
    private static readonly List<Child> Running = [];

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Queue<string> _results = new();
    private readonly SemaphoreSlim _resultReady = new(0);

    private Child(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The log file its output goes to.</summary>
    public string LogPath { get; private init; } = "";

    /// <summary>SIGTERM, as a pod gets when it is stopped; the child's own handlers decide what follows.</summary>
    public void Terminate() => UnixSignals.Send(_process.Id, UnixSignals.Terminate);

    /// <summary>Its exit code once it has exited, or null when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public static Child Start(string name, string file, IEnumerable<string> args, IDictionary<string, string> env, string logDir, bool interactive = false)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = interactive,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in env)
        {
            info.Environment[k] = v;
        }

        var logPath = Path.Combine(logDir, name + ".log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
        var child = new Child(process, log) { LogPath = logPath };
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (Running)
        {
            Running.Add(child);
        }

        return child;
    }

    /// <summary>Stops every child still running, newest first (load and servers before the demo and nats-server).</summary>
    public static void StopAll()
    {
        Child[] running;
        lock (Running)
        {
            running = [.. Running];
        }

        foreach (var child in running.Reverse())
        {
            child.Dispose();
        }
    }

    /// <summary>Sends one command to a load process and waits for its <c>RESULT</c> line.</summary>
    public async Task<JsonElement> CommandAsync(string command, TimeSpan timeout)
    {
        Console.Error.WriteLine($"    load> {command}");
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        if (!await _resultReady.WaitAsync(timeout))
        {
            throw new TimeoutException($"no answer to '{command}' within {timeout}");
        }

        string line;
        lock (_results)
        {
            line = _results.Dequeue();
        }

        var result = JsonDocument.Parse(line).RootElement.Clone();
        Console.Error.WriteLine($"    load< {Shorten(line)}");
        return result;
    }

    public void Dispose()
    {
        // Once only, whichever comes first: the phase that started it, the end of the run or a signal.
        lock (Running)
        {
            if (!Running.Remove(this))
            {
                return;
            }
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("RESULT ", StringComparison.Ordinal))
        {
            lock (_results)
            {
                _results.Enqueue(line["RESULT ".Length..]);
            }

            _resultReady.Release();
            return;
        }

        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The child is being torn down.
            }
        }
    }

    private static string Shorten(string s) => s.Length > 400 ? s[..400] + "…" : s;
}

internal static class Net
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitHttpAsync(HttpClient http, string url, TimeSpan timeout, Child? child = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            if (child is { HasExited: true })
            {
                throw new InvalidOperationException($"the process behind {url} exited; see its log");
            }

            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{url} not ready within {timeout}");
    }
}

/// <summary>Talks to the startup-hook probe inside a measured server.</summary>
internal static class Probe
{
    public static async Task<JsonElement?> StatsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            await using var stream = client.GetStream();
            var bytes = Encoding.ASCII.GetBytes("stats\n");
            await stream.WriteAsync(bytes);
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2));
            return line is null ? null : JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            Console.Error.WriteLine("    probe failed: " + e.Message);
            return null;
        }
    }
}
