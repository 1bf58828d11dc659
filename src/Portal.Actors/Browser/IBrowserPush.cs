namespace Portal.Actors.Browser;

/// <summary>
/// Pushes to one browser socket. Implemented over SignalR in the host (with a bounded, ordered
/// outbound queue per socket) and with a probe in tests. Never blocks: a push is queued and sent in
/// order behind the socket's earlier pushes.
/// </summary>
public interface IBrowserPush
{
    /// <summary>Queues <paramref name="eventName"/> with one argument, or two for live pushes.</summary>
    void Send(string connectionId, string eventName, object payload, object? second = null);

    /// <summary>Makes a push that will be sent unchanged to many sockets, encoded once for all of them.</summary>
    PreparedPush Prepare(string eventName, object payload, object? second = null);

    /// <summary>Queues a prepared push (the same instance for every socket it goes to).</summary>
    void Send(string connectionId, PreparedPush push);

    /// <summary>Closes the socket from the server side, after what is already queued.</summary>
    void Close(string connectionId);
}
