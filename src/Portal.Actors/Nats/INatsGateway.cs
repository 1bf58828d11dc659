namespace Portal.Actors.Nats;

/// <summary>
/// The NATS side as the actors need it. Implemented with NATS.Net in the host and with a probe in
/// tests. No member waits on a broken link: while disconnected, publishes and requests answer
/// <see cref="NatsReplyStatus.Unavailable"/> at once and subscribes throw
/// <see cref="NatsUnavailableException"/>. Subjects are built by the caller from validated ids.
/// A publish or request belongs to the trace of the <see cref="System.Diagnostics.Activity.Current"/>
/// span it is made in (NATS.Net puts that context in the <c>traceparent</c> header), so actors make
/// them inside their span (<see cref="PortalTracing.StartUnder"/>).
/// </summary>
public interface INatsGateway
{
    /// <summary>The state of the link now.</summary>
    NatsLink Link { get; }

    /// <summary>Raised on every change of <see cref="Link"/>, from a NATS thread.</summary>
    event Action<NatsLink>? LinkChanged;

    /// <summary>Publishes; false when the link is down and nothing was sent.</summary>
    Task<bool> PublishAsync(string subject, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers = null, string? replyTo = null);

    /// <summary>Sends a request and waits at most <paramref name="timeout"/> for its reply.</summary>
    Task<NatsReply> RequestAsync(string subject, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers, TimeSpan timeout);

    /// <summary>
    /// Subscribes and returns once the server has the subscription. <paramref name="onMessage"/> is
    /// called for each message, <paramref name="onEnded"/> once when the subscription ends
    /// (null: disposed; otherwise the fault). Dispose the result to unsubscribe.
    /// </summary>
    Task<IAsyncDisposable> SubscribeAsync(string subject, Action<NatsInbound> onMessage, Action<Exception?> onEnded);
}

public enum NatsLink
{
    Down,
    Up,
}

/// <summary>Headers the portal sets on requests; today only the caller's bearer token.</summary>
public sealed record NatsRequestHeaders(string? BearerToken)
{
    // Records print every member; a token must never reach a log line.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("BearerToken = [redacted]");
        return true;
    }
}

public enum NatsReplyStatus
{
    Ok,

    /// <summary>No service listens on the subject.</summary>
    NoResponders,

    /// <summary>A service may listen but did not answer in time.</summary>
    TimedOut,

    /// <summary>The link to NATS is down; nothing was sent.</summary>
    Unavailable,
}

/// <summary>The outcome of a request; <see cref="Body"/> is set only when <see cref="Status"/> is Ok.</summary>
public readonly record struct NatsReply(NatsReplyStatus Status, ReadOnlyMemory<byte> Body)
{
    public static NatsReply Ok(ReadOnlyMemory<byte> body) => new(NatsReplyStatus.Ok, body);

    public static readonly NatsReply NoResponders = new(NatsReplyStatus.NoResponders, default);
    public static readonly NatsReply TimedOut = new(NatsReplyStatus.TimedOut, default);
    public static readonly NatsReply Unavailable = new(NatsReplyStatus.Unavailable, default);
}

/// <summary>
/// A message on a subscription. <see cref="NoResponders"/> marks the server's 503 status sent to a
/// reply subject when a publish with that reply subject found no listener.
/// </summary>
public readonly record struct NatsInbound(string Subject, ReadOnlyMemory<byte> Body, bool NoResponders = false);

/// <summary>Thrown by <see cref="INatsGateway.SubscribeAsync"/> while the link is down.</summary>
public sealed class NatsUnavailableException(string message) : Exception(message);
