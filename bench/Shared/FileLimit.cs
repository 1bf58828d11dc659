using System.Runtime.InteropServices;

namespace Portal.Bench.Shared;

/// <summary>Raises RLIMIT_NOFILE's soft limit to its hard limit (Linux), so 10k sockets fit.</summary>
public static partial class FileLimit
{
    private const int RlimitNofile = 7;

    public static (ulong Soft, ulong Hard) Raise()
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(RlimitNofile, out var limit) != 0)
        {
            return (0, 0);
        }

        var wanted = new RLimit { Current = limit.Max, Max = limit.Max };
        return SetRLimit(RlimitNofile, ref wanted) == 0 ? (limit.Max, limit.Max) : (limit.Current, limit.Max);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit")]
    private static partial int SetRLimit(int resource, ref RLimit limit);
}
