using System.Runtime.InteropServices;

namespace Portal.Bench;

/// <summary>Sends a POSIX signal to a process, as Kubernetes does to a pod's process when it stops it.</summary>
internal static partial class UnixSignals
{
    public const int Terminate = 15;

    public static void Send(int pid, int signal)
    {
        if (Kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
