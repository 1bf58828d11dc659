using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Portal.Host.Standalone;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// The built portal host run as its own OS process, as the Docker image runs it: for what only a real
/// process shows (exit codes, signals, children). Both pipes are read from the start so neither fills;
/// <see cref="Signal"/> sends it a real signal (libc <c>kill</c>). Started as <see cref="ParentBoundProcess"/>
/// starts nats-server: it dies with the test run however that ends, and it leads a process group of its
/// own, as a terminal's foreground job does (<see cref="SignalGroup"/> is that terminal's Ctrl+C).
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<(TimeSpan At, string Line)> _transcript = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentQueue<(Regex Pattern, TaskCompletionSource<Match> Found)> _waiting = new();

    private readonly ParentBoundProcess _bound;

    private HostProcess(ParentBoundProcess bound) => _bound = bound;

    public Process Process => _bound.Process;

    public IReadOnlyCollection<string> Stdout => _stdout;

    public IReadOnlyCollection<string> Stderr => _stderr;

    /// <summary>Both pipes' lines as they came, each with the time since the start (for a test's output).</summary>
    public string Transcript => string.Join(
        Environment.NewLine, _transcript.Select(l => string.Create(CultureInfo.InvariantCulture, $"{l.At.TotalSeconds,8:0.000} {l.Line}")));

    /// <summary>
    /// Starts the host with <paramref name="environment"/> on top of this process' own (a null value
    /// removes a variable). Nothing is inherited by accident: NATS_URL, ENV and STANDALONE_MODE are
    /// cleared unless given.
    /// </summary>
    public static HostProcess Start(IReadOnlyDictionary<string, string?> environment)
    {
        // Through env: a test run started as a background job of a shell inherits SIGINT ignored (POSIX
        // shells ignore it there), and .NET keeps an ignored SIGINT ignored; a Ctrl+C test would hear nothing.
        var info = new ProcessStartInfo("env")
        {
            ArgumentList = { "--default-signal=INT,QUIT", Path.Combine(AppContext.BaseDirectory, "Portal.Host") },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in new[] { "NATS_URL", "ENV", "STANDALONE_MODE" })
        {
            info.Environment[key] = null;
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var host = new HostProcess(ParentBoundProcess.Start(info));
        host.Process.OutputDataReceived += (_, line) => host.OnLine(host._stdout, line.Data);
        host.Process.ErrorDataReceived += (_, line) => host.OnLine(host._stderr, line.Data);
        host.Process.BeginOutputReadLine();
        host.Process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The first stdout line (already written or still to come) that matches <paramref name="pattern"/>.</summary>
    public Task<Match> LineAsync(Regex pattern)
    {
        var found = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Enqueue((pattern, found));
        foreach (var line in _stdout)
        {
            if (pattern.Match(line) is { Success: true } match)
            {
                found.TrySetResult(match);
            }
        }

        return found.Task;
    }

    /// <summary>Waits (bounded) until the host at <paramref name="address"/> answers <c>/readyz</c> with 200.</summary>
    public static async Task WaitForReadyzAsync(Uri address, TimeSpan within, Process? host = null)
    {
        using var http = new HttpClient { BaseAddress = address };
        await Eventually.HoldsAsync(async () => host is { HasExited: true } ? throw new InvalidOperationException("The host exited.") : await IsReadyAsync(http), within);
    }

    /// <summary>Sends <paramref name="signal"/> to the host, as Kubernetes (SIGTERM) or a terminal (SIGINT) would.</summary>
    public void Signal(UnixSignal signal)
    {
        if (Kill(Process.Id, (int)signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the host's whole process group, as a terminal does on Ctrl+C (SIGINT).</summary>
    public void SignalGroup(UnixSignal signal)
    {
        if (Kill(-Process.Id, (int)signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Waits for the process to end; both pipes are read to their end first.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan within)
    {
        await Process.WaitForExitAsync().WaitAsync(within);
        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        _bound.Dispose();
    }

    private static async Task<bool> IsReadyAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("readyz")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // Kestrel not listening yet.
        }
    }

    private void OnLine(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        _transcript.Enqueue((_clock.Elapsed, line));
        foreach (var (pattern, found) in _waiting)
        {
            if (!found.Task.IsCompleted && pattern.Match(line) is { Success: true } match)
            {
                found.TrySetResult(match);
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
