namespace Portal.Actors.Browser;

/// <summary>
/// The socket a session speaks through right now. A session outlives its socket (it is held for
/// <c>auth:resume</c> and moves to the new one), so the session's actors, including feed children the
/// connection actor starts again after a failure, push through this one shared address instead of a
/// fixed connection id. Only the connection actor moves it; everyone else reads it (thread-safe).
/// </summary>
public sealed class SocketRoute(string connectionId)
{
    private volatile string? _connectionId = connectionId;

    // The socket the session was on last: kept while the session is held, so that a call asked there
    // is still the session's to answer until the session moves to another socket.
    private volatile string _last = connectionId;

    /// <summary>The SignalR connection id, or null while the session is held without a socket.</summary>
    public string? ConnectionId => _connectionId;

    /// <summary>
    /// Whether a call asked on <paramref name="askedOn"/> is still answered through this route: the
    /// session has not moved to another socket since (it may have been held meanwhile).
    /// </summary>
    public bool Answers(string askedOn) => askedOn == _last;

    public void MoveTo(string connectionId)
    {
        _last = connectionId;
        _connectionId = connectionId;
    }

    public void Detach() => _connectionId = null;

    public override string ToString() => _connectionId ?? "(held)";
}
