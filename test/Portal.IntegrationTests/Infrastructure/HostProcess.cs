using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// The built portal host run as its own OS process, as the Docker image runs it: for what only a real
/// process shows (exit codes, signals, children). Both pipes are read from the start so neither fills.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentQueue<(Regex Pattern, TaskCompletionSource<Match> Found)> _waiting = new();

    private HostProcess(Process process) => Process = process;

    public Process Process { get; }

    public IReadOnlyCollection<string> Stdout => _stdout;

    public IReadOnlyCollection<string> Stderr => _stderr;

    /// <summary>
    /// Starts the host with <paramref name="environment"/> on top of this process' own (a null value
    /// removes a variable). Nothing is inherited by accident: NATS_URL, ENV and STANDALONE_MODE are
    /// cleared unless given.
    /// </summary>
    public static HostProcess Start(IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Portal.Host"))
        {
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

        var host = new HostProcess(Process.Start(info)!);
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

        Process.Dispose();
    }

    private void OnLine(ConcurrentQueue<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lines.Enqueue(line);
        foreach (var (pattern, found) in _waiting)
        {
            if (!found.Task.IsCompleted && pattern.Match(line) is { Success: true } match)
            {
                found.TrySetResult(match);
            }
        }
    }
}
