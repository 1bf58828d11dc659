using System.ComponentModel;
using System.Diagnostics;

namespace Portal.Host.Standalone;

/// <summary>
/// Starts a child process that lives exactly as long as this process wants it to. The kernel kills it
/// when this process dies, however it dies (a SIGKILL runs no exit handler): through util-linux's
/// <c>setpriv --pdeathsig KILL</c>, which sets the parent-death signal and execs the program. Linux sends
/// that signal when the <em>thread</em> that forked the child ends, not the process, so the child is
/// forked from a thread of its own that lives until <see cref="Dispose"/>; a thread-pool thread could
/// retire and take the child with it. And the child runs in a session of its own (util-linux's
/// <c>setsid</c>, which execs it too): a Ctrl+C in the terminal signals the whole foreground process group,
/// and would stop the child at once, while this process is still draining. Without <c>setpriv</c> on
/// PATH the child is started plainly.
/// </summary>
public sealed class ParentBoundProcess : IDisposable
{
    private readonly ManualResetEventSlim _released = new();

    private ParentBoundProcess(Process process) => Process = process;

    public Process Process { get; }

    /// <summary>Starts <paramref name="info"/>'s program bound to this process.</summary>
    /// <exception cref="Win32Exception">The program (or setpriv) could not be started.</exception>
    public static ParentBoundProcess Start(ProcessStartInfo info)
    {
        var bound = BindToParent(info);
        ParentBoundProcess? started = null;
        Exception? failure = null;
        using var ready = new ManualResetEventSlim();
        var keeper = new Thread(() =>
        {
            try
            {
                started = new ParentBoundProcess(Process.Start(bound) ?? throw new Win32Exception("no process was started"));
            }
            catch (Exception e)
            {
                failure = e;
            }

            ready.Set();
            started?._released.Wait();
        })
        {
            IsBackground = true,
            Name = $"{Path.GetFileName(info.FileName)} keeper",
        };
        keeper.Start();
        ready.Wait();
        if (failure is not null)
        {
            throw failure;
        }

        return started!;
    }

    /// <summary>Ends the keeping thread; the caller stops the process first.</summary>
    public void Dispose()
    {
        _released.Set();
        Process.Dispose();
    }

    private static ProcessStartInfo BindToParent(ProcessStartInfo info)
    {
        if (!OperatingSystem.IsLinux() || FindOnPath("setpriv") is not { } setpriv)
        {
            return info;
        }

        // setpriv would report a missing program only by its exit code: look it up here instead.
        var program = FindOnPath(info.FileName) ?? throw new Win32Exception($"{info.FileName} is not on PATH");
        var bound = new ProcessStartInfo(setpriv)
        {
            RedirectStandardError = info.RedirectStandardError,
            RedirectStandardOutput = info.RedirectStandardOutput,
            UseShellExecute = false,
            WorkingDirectory = info.WorkingDirectory,
        };
        bound.Environment.Clear();
        foreach (var (key, value) in info.Environment)
        {
            bound.Environment[key] = value;
        }

        string[] ownSession = FindOnPath("setsid") is { } setsid ? [setsid] : [];
        foreach (var argument in (string[])["--pdeathsig", "KILL", "--", .. ownSession, program, .. info.ArgumentList])
        {
            bound.ArgumentList.Add(argument);
        }

        return bound;
    }

    private static string? FindOnPath(string program)
    {
        if (program.Contains('/'))
        {
            return File.Exists(program) ? program : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
    }
}
