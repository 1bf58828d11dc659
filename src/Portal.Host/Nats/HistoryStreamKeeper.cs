using System.Threading.Channels;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Portal.Actors.Nats;
using Portal.Host.Configuration;

namespace Portal.Host.Nats;

/// <summary>
/// On every connect and reconnect asks the NATS server whether it offers JetStream and, when the
/// history may live there, finds the stream, creates it when missing and brings other limits to the
/// settings; records the outcome in <see cref="HistoryStore"/>. With <c>HISTORY_STORE=memory</c> it never asks.
/// </summary>
internal sealed partial class HistoryStreamKeeper(
    NatsConnection connection, NatsNetGateway gateway, HistoryStore history, PortalHostSettings settings, ILogger<HistoryStreamKeeper> logger)
    : IHostedService
{
    /// <summary>Wait before asking again after a JetStream call failed (a timeout, a link that broke under it, a refused create or update).</summary>
    private static readonly TimeSpan RetryWait = TimeSpan.FromSeconds(2);

    /// <summary>How many answers in a row saying "no JetStream" decide it, and how soon each is asked again.</summary>
    private const int AbsentAnswersToDecide = 3;

    /// <summary>How long a JetStream API call may take here: feeds wait for the decision.</summary>
    private static readonly TimeSpan ApiTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan AbsentRecheck = TimeSpan.FromMilliseconds(250);

    /// <summary>How often a node serving on memory asks whether JetStream has come.</summary>
    private static readonly TimeSpan AbsentPoll = TimeSpan.FromSeconds(30);

    private int _absentAnswers;
    private TimeSpan _nextWait = RetryWait;

    private readonly Channel<bool> _kicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (history.Choice == HistoryStoreChoice.Memory)
        {
            LogMemoryChosen();
            return Task.CompletedTask;
        }

        gateway.LinkChanged += OnLinkChanged;
        _loop = DecideOnEveryKickAsync(_stopping.Token);
        if (gateway.Link == NatsLink.Up)
        {
            _kicks.Writer.TryWrite(true);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        gateway.LinkChanged -= OnLinkChanged;
        await _stopping.CancelAsync();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-call: nothing to keep.
        }
    }

    // Raised on NATS.Net's event path: only note it, the loop does the asking.
    private void OnLinkChanged(NatsLink link)
    {
        if (link == NatsLink.Up)
        {
            _kicks.Writer.TryWrite(true);
        }
    }

    private async Task DecideOnEveryKickAsync(CancellationToken stopping)
    {
        await foreach (var _ in _kicks.Reader.ReadAllAsync(stopping))
        {
            while (gateway.Link == NatsLink.Up && !await TryDecideAsync(stopping))
            {
                await Task.Delay(_nextWait, stopping);
            }
        }
    }

    /// <summary>
    /// False when it is worth asking again (after <see cref="_nextWait"/>): the call failed without an answer,
    /// or JetStream looks absent, which a server still starting JetStream, or a cluster without it, also says.
    /// </summary>
    private async Task<bool> TryDecideAsync(CancellationToken stopping)
    {
        var jetStream = new NatsJSContext(connection, new NatsJSOpts(connection.Opts, requestTimeout: ApiTimeout));
        _nextWait = RetryWait;
        try
        {
            var stream = await FindOrCreateAsync(jetStream, stopping);
            _absentAnswers = 0;
            if (history.Decide(HistoryKind.JetStream, HistoryStore.EpochOf(stream.Created)))
            {
                LogJetStream(settings.HistoryStream, history.Epoch!);
            }

            return true;
        }
        catch (Exception e) when (OffersNoJetStream(e) && !stopping.IsCancellationRequested)
        {
            // Said a few times in a row before it counts: a server answers so for a moment while JetStream starts.
            // An API left unanswered (a cluster without JetStream) has already waited its timeout: that counts at once.
            _absentAnswers = e is NatsJSApiNoResponseException ? AbsentAnswersToDecide : _absentAnswers + 1;
            if (_absentAnswers < AbsentAnswersToDecide)
            {
                _nextWait = AbsentRecheck;
                return false;
            }

            if (history.Choice == HistoryStoreChoice.Auto)
            {
                if (history.Decide(HistoryKind.Memory, null))
                {
                    LogMemoryWithoutJetStream();
                }

                // Served on memory; JetStream may still come (a cluster's API that was only slow to answer).
                _nextWait = AbsentPoll;
            }
            else if (history.Decide(HistoryKind.Unavailable, null))
            {
                LogJetStreamMissing();
            }

            return false;
        }
        catch (Exception e) when (e is NatsException && !stopping.IsCancellationRequested)
        {
            // A refused create or update (e.g. more replicas than the cluster has) lands here too.
            LogNoAnswer(e.GetType().Name, e.Message);
            return false;
        }
    }

    private async Task<StreamInfo> FindOrCreateAsync(NatsJSContext jetStream, CancellationToken stopping)
    {
        INatsJSStream stream;
        try
        {
            stream = await jetStream.GetStreamAsync(settings.HistoryStream, cancellationToken: stopping);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            var created = await jetStream.CreateStreamAsync(HistoryStreamConfig.New(settings), stopping);
            LogCreated(settings.HistoryStream, HistoryStreamConfig.Describe(created.Info.Config));
            return created.Info;
        }

        var config = stream.Info.Config;
        if (HistoryStreamConfig.HasLimits(config, settings))
        {
            return stream.Info;
        }

        var updated = await jetStream.UpdateStreamAsync(HistoryStreamConfig.WithLimits(config, settings), stopping);
        LogUpdated(settings.HistoryStream, HistoryStreamConfig.Describe(config), HistoryStreamConfig.Describe(updated.Info.Config));
        return updated.Info;
    }

    /// <summary>
    /// No JetStream: a server without it has no responder on <c>$JS.API</c>; an account without it answers 503.
    /// </summary>
    private static bool OffersNoJetStream(Exception e) =>
        e is NatsNoRespondersException or NatsJSApiNoResponseException || (e is NatsJSApiException api && api.Error.Code == 503);

    [LoggerMessage(Level = LogLevel.Information, Message = "History: JetStream stream {Stream}, because the NATS server offers JetStream (epoch {Epoch})")]
    private partial void LogJetStream(string stream, string epoch);

    [LoggerMessage(Level = LogLevel.Information, Message = "History: memory of this node, because the NATS server offers no JetStream (HISTORY_STORE=auto); a resume on another node starts fresh; asking again every 30 s")]
    private partial void LogMemoryWithoutJetStream();

    [LoggerMessage(Level = LogLevel.Information, Message = "History: memory of this node, because HISTORY_STORE=memory; a resume on another node starts fresh")]
    private partial void LogMemoryChosen();

    [LoggerMessage(Level = LogLevel.Error, Message = "History: HISTORY_STORE=jetstream but the NATS server offers no JetStream; the node stays not ready until it does")]
    private partial void LogJetStreamMissing();

    [LoggerMessage(Level = LogLevel.Information, Message = "History: created JetStream stream {Stream} ({Limits})")]
    private partial void LogCreated(string stream, string limits);

    [LoggerMessage(Level = LogLevel.Warning, Message = "History: updated JetStream stream {Stream} to the settings: was {Before}, now {After}")]
    private partial void LogUpdated(string stream, string before, string after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "History: JetStream call failed ({Error}: {Reason}); asking again in 2 s, not ready until then")]
    private partial void LogNoAnswer(string error, string reason);
}
