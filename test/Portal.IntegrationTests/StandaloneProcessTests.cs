using System.Diagnostics;
using System.Text.RegularExpressions;
using Portal.Host.Standalone;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests;

/// <summary>The portal run as its own process in standalone mode, as a newcomer or the Docker line runs it.</summary>
public sealed partial class StandaloneProcessTests
{
    [Fact]
    public async Task Standalone_HostKilledWithSigkill_TakesItsNatsServerWithIt()
    {
        using var host = Process.Start(new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Portal.Host"))
        {
            Environment =
            {
                ["STANDALONE_MODE"] = "true",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LocalNatsServer.FreePort()}",
                ["NATS_URL"] = null,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var natsPid = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text && StartedNatsServer().Match(text) is { Success: true } started)
            {
                natsPid.TrySetResult(int.Parse(started.Groups["pid"].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        host.ErrorDataReceived += (_, _) => { };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            var started = await natsPid.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(IsRunning(started), "nats-server was not running once the host said it started it");

            // A SIGKILL runs none of the host's exit handlers: only the kernel can stop the child now.
            host.Kill();
            await host.WaitForExitAsync();

            await Eventually.HoldsAsync(() => Task.FromResult(!IsRunning(started)), TimeSpan.FromSeconds(5));
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
            }

            // Had the kernel not stopped it, the test does, so that no server outlives it.
            if (natsPid.Task.IsCompletedSuccessfully && await natsPid.Task is var pid && IsRunning(pid))
            {
                Process.GetProcessById(pid).Kill();
            }
        }
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

    [GeneratedRegex(@"started nats-server \(pid (?<pid>\d+)\)")]
    private static partial Regex StartedNatsServer();
}
