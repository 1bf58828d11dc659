using Akka.Actor;
using Portal.Protocol.Browser;

namespace Portal.Actors.Connections;

/// <summary>
/// The node's front door for browser sockets: one <c>ConnectionActor</c> per SignalR connection,
/// created on connect and stopped on disconnect. The hub only ever tells it these messages.
/// </summary>
public static class SessionManager
{
    /// <summary>Akka.Hosting registry key: <c>IRequiredActor&lt;SessionManager.Key&gt;</c>.</summary>
    public sealed class Key;

    public interface ISocketMessage
    {
        string ConnectionId { get; }
    }

    public sealed record SocketConnected(string ConnectionId) : ISocketMessage;

    public sealed record SocketDisconnected(string ConnectionId) : ISocketMessage;

    /// <summary>A call that passed the hub's shape and size checks.</summary>
    public sealed record SocketCall(string ConnectionId, BrowserCall Call) : ISocketMessage
    {
        /// <summary>The hub call's trace context, so the actor's work joins the same trace.</summary>
        public System.Diagnostics.ActivityContext Trace { get; init; }
    }

    /// <summary>A call the hub refused; the socket's actor pushes the error, in order with its other pushes.</summary>
    public sealed record SocketRejected(string ConnectionId, CallRejection Rejection) : ISocketMessage;

    /// <summary>Asks how many connection actors the node holds; answered with <see cref="ConnectionCount"/>.</summary>
    public sealed record GetConnectionCount
    {
        public static readonly GetConnectionCount Instance = new();
    }

    /// <summary>Open sockets with an actor, and sessions held without a socket.</summary>
    public sealed record ConnectionCount(int Count, int Held = 0);

    public static Props Props(ConnectionDependencies deps) => Akka.Actor.Props.Create(() => new SessionManagerActor(deps));
}
