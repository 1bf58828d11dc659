using System.Diagnostics;
using NATS.Client.Core;
using Portal.Actors.Nats;
using Portal.Host.Telemetry;

namespace Portal.Host.Nats;

/// <summary>
/// <see cref="INatsGateway"/> over one NATS.Net connection. Never waits on a broken link: NATS.Net
/// would queue a publish until it reconnects, so every member checks <see cref="Link"/> first and
/// bounds its own wait with a cancellation token.
/// </summary>
public sealed partial class NatsNetGateway : INatsGateway, IAsyncDisposable
{
    // Longest a publish may sit in NATS.Net's buffer when the link drops between our check and the write.
    private static readonly TimeSpan PublishBound = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Bodies as raw bytes both ways. NATS.Net's raw serializer copies a received payload out of its
    /// receive buffer into an array of its own, so a body handed to an actor stays valid after the next
    /// message arrives (RawBodySerializerTests pins that).
    /// </summary>
    private static readonly INatsSerializer<ReadOnlyMemory<byte>> Bodies = NatsRawSerializer<ReadOnlyMemory<byte>>.Default;

    private readonly NatsConnection _connection;
    private readonly ILogger<NatsNetGateway> _logger;
    private readonly PortalMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _linkLock = new();
    private NatsLink _link = NatsLink.Down;
    private int _failedTries;
    private int _disposed;

    public NatsNetGateway(NatsConnection connection, PortalMetrics metrics, ILogger<NatsNetGateway> logger)
    {
        _connection = connection;
        _metrics = metrics;
        _logger = logger;
        _connection.ConnectionOpened += OnOpenedAsync;
        _connection.ConnectionDisconnected += OnDisconnectedAsync;
        _connection.ReconnectFailed += OnReconnectFailedAsync;
    }

    public NatsLink Link => _link;

    public event Action<NatsLink>? LinkChanged;

    /// <summary>
    /// Starts connecting and returns at once; with RetryOnInitialConnect NATS.Net keeps trying and
    /// <see cref="LinkChanged"/> says when it is up.
    /// </summary>
    public void StartConnecting()
    {
        _ = ConnectInBackgroundAsync();
    }

    public async Task<bool> PublishAsync(string subject, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers = null, string? replyTo = null)
    {
        if (_link == NatsLink.Down)
        {
            return false;
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        bound.CancelAfter(PublishBound);
        try
        {
            await _connection.PublishAsync(subject, body, ToNatsHeaders(headers), replyTo, Bodies, cancellationToken: bound.Token);
            _metrics.NatsSent(subject, "publish");
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or NatsException or ObjectDisposedException)
        {
            // The exception text is NATS.Net's and carries no body; the subject holds only validated ids.
            LogPublishFailed(subject, e.GetType().Name);
            return false;
        }
    }

    public async Task<NatsReply> RequestAsync(string subject, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers, TimeSpan timeout)
    {
        if (_link == NatsLink.Down)
        {
            return NatsReply.Unavailable;
        }

        var started = Stopwatch.GetTimestamp();
        _metrics.NatsSent(subject, "request");
        var reply = await RequestCoreAsync(subject, body, headers, timeout);
        _metrics.NatsRequestDone(subject, Outcome(reply), Stopwatch.GetElapsedTime(started));
        return reply;
    }

    private static string Outcome(NatsReply reply) => reply.Status switch
    {
        NatsReplyStatus.Ok => "ok",
        NatsReplyStatus.NoResponders => "no_responders",
        NatsReplyStatus.TimedOut => "timeout",
        _ => "unavailable",
    };

    private async Task<NatsReply> RequestCoreAsync(string subject, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers, TimeSpan timeout)
    {

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        bound.CancelAfter(timeout);
        try
        {
            var reply = await _connection.RequestAsync(
                subject,
                body,
                ToNatsHeaders(headers),
                Bodies,
                Bodies,
                replyOpts: new NatsSubOpts { Timeout = timeout, ThrowIfNoResponders = true },
                cancellationToken: bound.Token);

            return reply.HasNoResponders ? NatsReply.NoResponders : NatsReply.Ok(reply.Data);
        }
        catch (NatsNoRespondersException)
        {
            return NatsReply.NoResponders;
        }
        catch (Exception e) when (e is NatsNoReplyException or OperationCanceledException or TimeoutException)
        {
            return NatsReply.TimedOut;
        }
        catch (Exception e) when (e is NatsException or ObjectDisposedException)
        {
            // The link broke under the request.
            LogRequestFailed(subject, e.GetType().Name);
            return NatsReply.Unavailable;
        }
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string subject, Action<NatsInbound> onMessage, Action<Exception?> onEnded)
    {
        if (_link == NatsLink.Down)
        {
            throw new NatsUnavailableException($"NATS is not connected; cannot subscribe to {subject}.");
        }

        INatsSub<ReadOnlyMemory<byte>> sub;
        try
        {
            // SubscribeCoreAsync sends SUB before returning, so a publish right after is seen.
            sub = await _connection.SubscribeCoreAsync(subject, serializer: Bodies, cancellationToken: _stopping.Token);
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or ObjectDisposedException)
        {
            throw new NatsUnavailableException($"Could not subscribe to {subject}: {e.GetType().Name}.");
        }

        var subscription = new GatewaySubscription(sub);
        var meter = _metrics.Subscribed(subject);
        _ = subscription.PumpAsync(
            message =>
            {
                meter.Received();
                onMessage(message);
            },
            fault =>
            {
                meter.Dispose();
                onEnded(fault);
            });
        return subscription;
    }

    /// <summary>
    /// Closes the connection. Called when the host stops (before a standalone nats-server is
    /// killed, so that is not reported as a lost link) and again by the container.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _connection.ConnectionOpened -= OnOpenedAsync;
        _connection.ConnectionDisconnected -= OnDisconnectedAsync;
        _connection.ReconnectFailed -= OnReconnectFailedAsync;

        // Not disposed: calls still in flight may link to its token.
        await _stopping.CancelAsync();
        await _connection.DisposeAsync();
    }

    private async Task ConnectInBackgroundAsync()
    {
        try
        {
            await _connection.ConnectAsync();
        }
        catch (Exception e) when (e is NatsException or OperationCanceledException or ObjectDisposedException)
        {
            // With RetryOnInitialConnect this only happens when the connection is disposed or auth is refused.
            LogConnectGaveUp(e.GetType().Name, e.Message);
        }
    }

    private ValueTask OnOpenedAsync(object? sender, NatsEventArgs args)
    {
        LogConnected(ServerName());
        _failedTries = 0;
        SetLink(NatsLink.Up);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnDisconnectedAsync(object? sender, NatsEventArgs args)
    {
        if (_link == NatsLink.Up)
        {
            LogDisconnected(Redacted(args.Message));
        }

        SetLink(NatsLink.Down);
        return ValueTask.CompletedTask;
    }

    private ValueTask OnReconnectFailedAsync(object? sender, NatsEventArgs args)
    {
        // One line per try; NATS.Net's own logger would add a stack trace to each.
        _failedTries++;
        LogTryFailed(Redacted(args.Message), _failedTries);
        SetLink(NatsLink.Down);
        return ValueTask.CompletedTask;
    }

    private void SetLink(NatsLink link)
    {
        lock (_linkLock)
        {
            if (_link == link)
            {
                return;
            }

            _link = link;
        }

        LinkChanged?.Invoke(link);
    }

    private string ServerName() => _connection.ServerInfo is { } info ? $"{info.Host}:{info.Port}" : "?";

    // NATS.Net's event text is the server URL, which may carry user:password@.
    private static string Redacted(string text) => OneLineLoggerFactory.Redact(text);

    private static NatsHeaders? ToNatsHeaders(NatsRequestHeaders? headers) =>
        headers?.BearerToken is { Length: > 0 } token
            ? new NatsHeaders { ["Authorization"] = $"Bearer {token}" }
            : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "NATS connected to {Server}")]
    private partial void LogConnected(string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NATS link lost ({Server}); reconnecting")]
    private partial void LogDisconnected(string server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NATS not reachable at {Server} (try {Try}); retrying")]
    private partial void LogTryFailed(string server, int @try);

    [LoggerMessage(Level = LogLevel.Error, Message = "NATS connection gave up: {Error}: {Reason}")]
    private partial void LogConnectGaveUp(string error, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "NATS publish to {Subject} failed: {Error}")]
    private partial void LogPublishFailed(string subject, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "NATS request to {Subject} failed: {Error}")]
    private partial void LogRequestFailed(string subject, string error);
}
