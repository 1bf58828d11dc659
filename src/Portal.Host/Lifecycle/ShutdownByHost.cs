using Akka.Hosting;

namespace Portal.Host.Lifecycle;

public static class ShutdownByHost
{
    /// <summary>
    /// Akka's CoordinatedShutdown runs when the host stops, after the drain, never on a signal of its own.
    /// By default (<c>run-by-clr-shutdown-hook</c>) Akka registers its own SIGTERM and SIGINT handlers, which
    /// run before <see cref="DrainingLifetime"/>'s and block until the actor system has ended; Akka.Hosting
    /// then calls <c>StopApplication</c>, on which SignalR aborts every socket. The drain found none left.
    /// With the hook off, Akka.Hosting's <c>StopAsync</c> runs CoordinatedShutdown as the host stops.
    /// </summary>
    public static AkkaConfigurationBuilder WithShutdownByHost(this AkkaConfigurationBuilder akka) =>
        akka.AddHocon("akka.coordinated-shutdown.run-by-clr-shutdown-hook = off", HoconAddMode.Prepend);
}
