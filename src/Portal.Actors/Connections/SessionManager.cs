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

    // Between the manager and its connection actors.

    /// <summary>The socket closed; a logged-in session is held for the grace period, an anonymous one stops.</summary>
    public sealed record Detached(string ConnectionId);

    /// <summary>A new socket resumed this session with its token: move to it and replay what it missed.</summary>
    public sealed record Reattach(string ConnectionId, ResumeCall Call)
    {
        /// <summary>The resume call's trace context, so the replay joins the same trace.</summary>
        public System.Diagnostics.ActivityContext Trace { get; init; }
    }

    /// <summary>The session ended before the reattach arrived: the socket gets a fresh actor that verifies the token itself.</summary>
    public sealed record ReattachRefused(string ConnectionId, ResumeCall Call)
    {
        public System.Diagnostics.ActivityContext Trace { get; init; }
    }

    /// <summary>The session moved to <see cref="ConnectionId"/> as asked: the reattach is done.</summary>
    public sealed record Reattached(string ConnectionId);

    /// <summary>A connection actor now holds the session of this token (SHA-256 hex), so resume can find it.</summary>
    public sealed record SessionBegan(string TokenHash);

    public sealed record SessionEnded(string TokenHash);

    /// <summary>The session left <see cref="ConnectionId"/> for another socket; that socket needs a fresh, anonymous actor.</summary>
    public sealed record MovedAway(string ConnectionId);

    /// <summary>The token was logged out on some node: end the session here too.</summary>
    public sealed record Revoked
    {
        public static readonly Revoked Instance = new();
    }

    /// <summary>Asks how many connection actors the node holds; answered with <see cref="ConnectionCount"/>.</summary>
    public sealed record GetConnectionCount
    {
        public static readonly GetConnectionCount Instance = new();
    }

    /// <summary>Open sockets with an actor, and sessions held without a socket.</summary>
    public sealed record ConnectionCount(int Count, int Held = 0);

    public static Props Props(ConnectionDependencies deps) => Akka.Actor.Props.Create(() => new SessionManagerActor(deps));
}
