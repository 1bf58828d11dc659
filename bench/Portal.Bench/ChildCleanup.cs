using System.Runtime.InteropServices;

namespace Portal.Bench;

/// <summary>
/// Ends the benchmark's child processes (nats-server, demo services, servers under test, load) however
/// the orchestrator ends: normal exit, an unhandled exception, Ctrl+C, SIGTERM (a CI timeout, `kill`),
/// SIGHUP or SIGQUIT. Left running they would hold ports and CPU on a shared machine.
/// </summary>
internal static class ChildCleanup
{
    private static readonly PosixSignal[] Signals = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    // Kept for the life of the process: a registration that is disposed or collected stops listening.
    private static PosixSignalRegistration[] s_registrations = [];

    public static void OnAnyExit()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Child.StopAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => Child.StopAll();

        // The handler does not cancel the signal: once the children are gone the default (exit) goes on.
        s_registrations = Signals.Select(signal => PosixSignalRegistration.Create(signal, _ => Child.StopAll())).ToArray();
    }
}
