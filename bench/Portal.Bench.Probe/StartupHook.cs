using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;

/// <summary>
/// Loaded into a measured server through <c>DOTNET_STARTUP_HOOKS</c>. Listens on
/// <c>127.0.0.1:$BENCH_PROBE_PORT</c>; each line <c>stats</c> is answered with one JSON line:
/// managed heap after a full blocking GC, working set, GC committed bytes and, when the app has an
/// Akka <see cref="ActorSystem"/> in DI, the number of live actors under <c>/user</c>.
/// Must be a global-namespace type named StartupHook with a static Initialize (runtime contract).
/// </summary>
#pragma warning disable CA1050, CA1812 // the startup hook contract wants exactly this shape
internal static class StartupHook
#pragma warning restore CA1050, CA1812
{
    private static object? _host;

    public static void Initialize()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("BENCH_PROBE_PORT"), out var port))
        {
            return;
        }

        // Microsoft.Extensions.Hosting announces the built host on this listener (the same way
        // WebApplicationFactory finds it); that gives us the DI container, hence the ActorSystem.
        DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                listener.Subscribe(new Observer<KeyValuePair<string, object?>>(e =>
                {
                    if (e.Key == "HostBuilt")
                    {
                        _host = e.Value;
                    }
                }));
            }
        }));

        var thread = new Thread(() => Serve(port)) { IsBackground = true, Name = "bench-probe" };
        thread.Start();
    }

    private static void Serve(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        while (true)
        {
            using var client = listener.AcceptTcpClient();
            using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true };
            while (reader.ReadLine() is { } line)
            {
                string answer;
                try
                {
                    answer = line.Trim() == "stats" ? Stats() : "{}";
                }
#pragma warning disable CA1031 // a probe must never take the measured server down
                catch (Exception e)
#pragma warning restore CA1031
                {
                    answer = "{\"error\":\"" + e.GetType().Name + "\"}";
                }

                writer.WriteLine(answer);
            }
        }
    }

    private static string Stats()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        var heap = GC.GetTotalMemory(forceFullCollection: true);
        var info = GC.GetGCMemoryInfo();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        // Only touch Akka types when the app loaded Akka (the bare hub does not have it).
        var (actors, connections) = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Akka") ? CountActors() : (-1, -1);
        return string.Create(CultureInfo.InvariantCulture,
            $"{{\"heapBytes\":{heap},\"workingSetBytes\":{self.WorkingSet64},\"gcCommittedBytes\":{info.TotalCommittedBytes},\"actors\":{actors},\"topLevel\":{connections},\"threads\":{self.Threads.Count}}}");
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (long Actors, long TopLevel) CountActors()
    {
        var services = _host?.GetType().GetProperty("Services")?.GetValue(_host) as IServiceProvider;
        if (services?.GetService(typeof(ActorSystem)) is not ExtendedActorSystem system)
        {
            return (-1, -1);
        }

        var guardian = system.Guardian;
        long total = 0;
        var stack = new Stack<IActorRef>();
        stack.Push(guardian);
        while (stack.Count > 0)
        {
            var actor = stack.Pop();
            total++;
            if (actor is ActorRefWithCell withCell)
            {
                foreach (var child in withCell.Children)
                {
                    stack.Push(child);
                }
            }
        }

        return (total - 1, guardian is ActorRefWithCell g ? g.Children.LongCount() : 0);
    }

    private sealed class Observer<T>(Action<T> onNext) : IObserver<T>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(T value) => onNext(value);
    }
}
