using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Portal.Actors.History;
using Portal.Actors.Nats;

namespace Portal.Host.Nats;

/// <summary>
/// <see cref="IBroadcastHistory"/> over the history stream that <see cref="HistoryStreamKeeper"/> keeps.
/// A follow is one consumer per subject with the single <c>filter_subject</c> (nats-server 2.9 ignores the
/// plural <c>filter_subjects</c> that NATS.Net's ordered consumer sends), acks none, and lives in memory
/// on the server; a read walks the subject message by message with "next by subject". Without JetStream
/// (<see cref="HistoryKind.Memory"/>) the place is the node's memory with an epoch of its own.
/// </summary>
public sealed partial class JetStreamHistory(NatsConnection connection, HistoryStore store, ILogger<JetStreamHistory> logger) : IBroadcastHistory
{
    /// <summary>A consumer nobody pulls from (its node died) is removed by the server after this.</summary>
    private static readonly TimeSpan ConsumerInactiveThreshold = TimeSpan.FromMinutes(1);

    /// <summary>Bodies as raw bytes, copied out of NATS.Net's buffer (as <see cref="NatsNetGateway"/> reads them).</summary>
    private static readonly INatsDeserialize<ReadOnlyMemory<byte>> Bodies = NatsRawSerializer<ReadOnlyMemory<byte>>.Default;

    private readonly HistoryPlace _memory = new(Shared: false, Epoch: NodeMemoryHistory.NewEpoch());
    private readonly NatsJSContext _jetStream = new(connection);
    private HistoryPlace? _shared;

    public HistoryPlace? Place => store.Kind switch
    {
        HistoryKind.JetStream => SharedPlace(store.Epoch!),
        HistoryKind.Memory => _memory,
        _ => null,
    };

    public async Task<IHistoryFollow> FollowAsync(string subject, long? after, string? epoch, Action<HistoryMessage> onMessage, Action<Exception?> onEnded)
    {
        var stream = await _jetStream.GetStreamAsync(store.StreamName);
        var streamEpoch = HistoryStore.EpochOf(stream.Info.Created);

        // Go on after `after` only when that is provably no gap: the same stream, and that broadcast still
        // held (0: the subject had none, so whatever it holds now came after). Otherwise, and for a first
        // follow, start after the subject's newest broadcast: a seq of its own, so that a resume from it can
        // be checked the same way (its message still held).
        var continuous = after is { } asked && streamEpoch == epoch && (asked == 0 || await HoldsAsync(stream, subject, asked, CancellationToken.None));
        var start = continuous ? after!.Value : await NewestAsync(stream, subject);

        var consumer = await _jetStream.CreateOrUpdateConsumerAsync(store.StreamName, new ConsumerConfig
        {
            Name = "portal-" + Guid.NewGuid().ToString("N")[..20],
            FilterSubject = subject,
            DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = (ulong)start + 1,
            AckPolicy = ConsumerConfigAckPolicy.None,
            InactiveThreshold = ConsumerInactiveThreshold,
            MemStorage = true,
            NumReplicas = 1,
        });
        return new Follow(this, consumer, start, continuous || after is null, streamEpoch, onMessage, onEnded);
    }

    public async Task<HistoryRead> ReadAsync(string subject, long after, long upTo, CancellationToken cancellationToken)
    {
        var stream = await _jetStream.GetStreamAsync(store.StreamName, cancellationToken: cancellationToken);

        // From 0 (the subject had no broadcast then) only a stream that never dropped one can say nothing is missing.
        var complete = after == 0 ? stream.Info.State.FirstSeq <= 1 : await HoldsAsync(stream, subject, after, cancellationToken);
        if (!complete)
        {
            return new HistoryRead(false, []);
        }

        var found = new List<HistoryMessage>();
        for (var cursor = after; ;)
        {
            if (await NextAsync(stream, subject, cursor + 1, cancellationToken) is not { } next || next.Seq > upTo)
            {
                return new HistoryRead(true, found);
            }

            found.Add(next);
            cursor = next.Seq;
        }
    }

    private HistoryPlace SharedPlace(string epoch)
    {
        var place = _shared;
        if (place?.Epoch != epoch)
        {
            _shared = place = new HistoryPlace(Shared: true, Epoch: epoch);
        }

        return place;
    }

    /// <summary>Whether the stream still holds the broadcast of <paramref name="subject"/> at <paramref name="seq"/>.</summary>
    private static async Task<bool> HoldsAsync(INatsJSStream stream, string subject, long seq, CancellationToken cancellationToken)
    {
        if (seq <= 0)
        {
            return false;
        }

        try
        {
            var got = await stream.GetAsync(new StreamMsgGetRequest { Seq = (ulong)seq }, cancellationToken);
            return got.Message.Subject == subject;
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return false;
        }
    }

    /// <summary>The seq of the newest broadcast of <paramref name="subject"/> held, or 0 when it holds none.</summary>
    private static async Task<long> NewestAsync(INatsJSStream stream, string subject)
    {
        try
        {
            return (long)(await stream.GetAsync(new StreamMsgGetRequest { LastBySubj = subject })).Message.Seq;
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return 0;
        }
    }

    /// <summary>The first broadcast of <paramref name="subject"/> at or after <paramref name="seq"/>, if any.</summary>
    private static async Task<HistoryMessage?> NextAsync(INatsJSStream stream, string subject, long seq, CancellationToken cancellationToken)
    {
        try
        {
            var got = await stream.GetAsync(new StreamMsgGetRequest { Seq = (ulong)seq, NextBySubj = subject }, cancellationToken);
            return new HistoryMessage(got.Message.Subject, (long)got.Message.Seq, got.Message.Data);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "History follow of {Subject} ended: {Error}")]
    private partial void LogFollowEnded(string subject, string error);

    /// <summary>A running consumer: its messages go to the topic until it is disposed or breaks.</summary>
    private sealed class Follow : IHistoryFollow
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly INatsJSConsumer _consumer;
        private readonly JetStreamHistory _owner;
        private readonly Task _loop;

        public Follow(JetStreamHistory owner, INatsJSConsumer consumer, long after, bool continuous, string epoch, Action<HistoryMessage> onMessage, Action<Exception?> onEnded)
        {
            _owner = owner;
            _consumer = consumer;
            After = after;
            Continuous = continuous;
            Epoch = epoch;
            _loop = ConsumeAsync(onMessage, onEnded);
        }

        public long After { get; }

        public bool Continuous { get; }

        public string Epoch { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            try
            {
                // The server would drop it after its inactive threshold anyway; this frees it now.
                using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _owner._jetStream.DeleteConsumerAsync(_consumer.Info.StreamName, _consumer.Info.Name, bound.Token);
            }
            catch (Exception e) when (e is NatsException or OperationCanceledException)
            {
                // NATS is away: nothing to free now.
            }

            _stop.Dispose();
        }

        private async Task ConsumeAsync(Action<HistoryMessage> onMessage, Action<Exception?> onEnded)
        {
            await Task.Yield();
            Exception? fault = null;
            try
            {
                await foreach (var message in _consumer.ConsumeAsync(Bodies, new NatsJSConsumeOpts { MaxMsgs = 1000 }, _stop.Token))
                {
                    if (message.Metadata is { } metadata)
                    {
                        onMessage(new HistoryMessage(message.Subject, (long)metadata.Sequence.Stream, message.Data));
                    }
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                // Disposed.
            }
            catch (Exception e)
            {
                fault = e;
            }

            if (!_stop.IsCancellationRequested)
            {
                fault ??= new NatsException("the history consumer ended");
                _owner.LogFollowEnded(_consumer.Info.Config.FilterSubject ?? "", fault.GetType().Name);
                onEnded(fault);
            }
        }
    }
}
