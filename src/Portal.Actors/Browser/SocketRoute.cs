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

    // The socket a session is moving to, pushed nothing until MoveTo opens it.
    private volatile string? _reserved;

    /// <summary>The SignalR connection id, or null while the session is held without a socket.</summary>
    public string? ConnectionId => _connectionId;

    /// <summary>
    /// Whether a call asked on <paramref name="askedOn"/> is still answered through this route: the
    /// session has not moved to another socket since (it may have been held meanwhile).
    /// </summary>
    public bool Answers(string askedOn) => askedOn == _last;

    /// <summary>The socket <see cref="Reserve"/> set aside, until <see cref="MoveTo"/>.</summary>
    public string? Reserved => _reserved;

    public void MoveTo(string connectionId)
    {
        _last = connectionId;
        _connectionId = connectionId;
        _reserved = null;
    }

    public void Detach() => _connectionId = null;

    /// <summary>
    /// The session now belongs to <paramref name="connectionId"/>, but nothing is pushed there yet (the
    /// resume's answer must come first, <see cref="MoveTo"/> opens it); calls asked on the old socket are no longer this route's.
    /// </summary>
    public void Reserve(string connectionId)
    {
        _connectionId = null;
        _last = connectionId;
        _reserved = connectionId;
    }

    public override string ToString() => _connectionId ?? "(held)";
}
