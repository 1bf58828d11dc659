using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Portal.DemoServices;

/// <summary>
/// Runs the demo services on their own NATS connection: one core subscription per subject, one
/// loop per subscription, and the live feed. <see cref="StartAsync"/> returns once every SUB is on
/// the server (or after <see cref="DemoServicesOptions.StartupWait"/> when NATS is not up yet).
/// </summary>
internal sealed partial class DemoServicesHostedService(
    DemoServicesOptions options,
    DemoResponder responder,
    LiveFeedPublisher liveFeed,
    ILoggerFactory loggerFactory,
    ILogger<DemoServicesHostedService> logger) : IHostedService, IAsyncDisposable
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<INatsSub<byte[]>> _subs = [];
    private NatsConnection? _nats;
    private Task? _run;
    private int _stopped;
    private int _disposed;

    /// <summary>Completes when every subscription is in place; tests and the portal's standalone mode can wait on it.</summary>
    public Task Ready => _ready.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _nats = new NatsConnection(NatsOpts.Default with
        {
            Url = options.NatsUrl,
            Name = "htpi-demo-services",
            // The portal may start before NATS: keep trying instead of failing the host.
            RetryOnInitialConnect = true,
            MaxReconnectRetry = -1,
            LoggerFactory = new QuietNatsLoggerFactory(loggerFactory),
        });
        _run = RunAsync(_nats, _stopping.Token);

        var waited = await Task.WhenAny(_ready.Task, _run, Task.Delay(options.StartupWait, cancellationToken)).ConfigureAwait(false);
        if (waited == _run)
        {
            await _run.ConfigureAwait(false); // surfaces a failure to subscribe
        }
        else if (!_ready.Task.IsCompleted)
        {
            LogNotReady(logger, options.StartupWait.TotalSeconds);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // The container disposes this instance once per registration (itself and IHostedService), and the host stops it first.
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        INatsSub<byte[]>[] subs;
        lock (_subs)
        {
            subs = [.. _subs];
        }
        foreach (var sub in subs)
        {
            await sub.DisposeAsync().ConfigureAwait(false);
        }
        if (_nats is not null)
        {
            // Disposing also ends a connect that is still retrying.
            await _nats.DisposeAsync().ConfigureAwait(false);
        }
        if (_run is not null)
        {
            try
            {
                await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping: the loops end by cancellation.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(NatsConnection nats, CancellationToken ct)
    {
        await nats.ConnectAsync().AsTask().WaitAsync(ct).ConfigureAwait(false);

        // SubscribeCoreAsync sends the SUB before it returns: after this loop nothing published is missed.
        var loops = new List<Task>();
        foreach (var subject in responder.Subjects)
        {
            var sub = await nats.SubscribeCoreAsync<byte[]>(subject, cancellationToken: ct).ConfigureAwait(false);
            lock (_subs)
            {
                _subs.Add(sub);
            }
            loops.Add(ServeAsync(nats, sub, ct));
        }
        _ready.TrySetResult();
        LogReady(logger, loops.Count);

        loops.Add(FeedAsync(nats, ct));
        await Task.WhenAll(loops).ConfigureAwait(false);
    }

    private async Task ServeAsync(NatsConnection nats, INatsSub<byte[]> sub, CancellationToken ct)
    {
        try
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await AnswerAsync(nats, msg, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // One bad message must not end the subscription. The body is not logged: it may hold PHI.
                    LogHandlerFailed(logger, msg.Subject, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task AnswerAsync(NatsConnection nats, NatsMsg<byte[]> msg, CancellationToken ct)
    {
        string? authorization = msg.Headers is { } headers && headers.TryGetValue("Authorization", out var values)
            ? values.ToString()
            : null;
        var outcome = responder.Handle(DemoRequest.Parse(msg.Subject, msg.Data ?? [], authorization));

        if (outcome.Reply is { } reply && msg.ReplyTo is not null)
        {
            await msg.ReplyAsync(DemoOutcome.Encode(reply), cancellationToken: ct).ConfigureAwait(false);
        }
        foreach (var publication in outcome.Publications)
        {
            await nats.PublishAsync(publication.Subject, publication.Bytes(), cancellationToken: ct).ConfigureAwait(false);
        }
    }

    private async Task FeedAsync(NatsConnection nats, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(options.LiveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                foreach (var publication in liveFeed.NextTick())
                {
                    await nats.PublishAsync(publication.Subject, publication.Bytes(), cancellationToken: ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTPI demo services subscribed to {Count} subjects")]
    private static partial void LogReady(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "NATS not reachable after {Seconds} s; the demo services keep retrying and subscribe once it is")]
    private static partial void LogNotReady(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo handler for {Subject} failed: {Error}")]
    private static partial void LogHandlerFailed(ILogger logger, string subject, string error);
}
