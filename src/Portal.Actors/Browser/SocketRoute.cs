namespace Portal.Actors.Browser;

/// <summary>
/// The socket a session speaks through right now. A session outlives its socket (it is held for
/// <c>auth:resume</c> and moves to the new one), so the session's actors, including children a backoff
/// supervisor re-creates from their original props, push through this one shared address instead of a
/// fixed connection id. Only the connection actor moves it; everyone else reads it (thread-safe).
/// </summary>
public sealed class SocketRoute(string connectionId)
{
    private volatile string? _connectionId = connectionId;

    /// <summary>The SignalR connection id, or null while the session is held without a socket.</summary>
    public string? ConnectionId => _connectionId;

    public void MoveTo(string connectionId) => _connectionId = connectionId;

    public void Detach() => _connectionId = null;

    public override string ToString() => _connectionId ?? "(held)";
}
