using Akka.Actor;
using Akka.Event;
using Portal.Actors.Browser;
using Portal.Actors.History;
using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using static Portal.Actors.Topics.TopicProtocol;

namespace Portal.Actors.Topics;

/// <summary>
/// One broadcast subject of one node: it reads the subject once for the node, parses each broadcast
/// once, and fans it out to every subscriber of this node, keeping a window of recent broadcasts for
/// resume (<see cref="ReplayWindow"/>). Where it reads depends on the node's history
/// (<see cref="IBroadcastHistory.Place"/>):
/// <list type="bullet">
/// <item>Shared (JetStream): one history follow (<see cref="HistoryFollower"/>); a broadcast's seq is its
/// stream sequence, the same on every node. After a failure or a NATS outage the follow starts again from
/// the last seq, so nothing is missed while the stream holds the gap; a replay older than the window is
/// read from the stream.</item>
/// <item>Memory: one NATS subscription (<see cref="SubjectSubscriber"/>), numbered here; only this node can replay.</item>
/// </list>
/// </summary>
internal sealed class TopicActor : ReceiveActor, IWithTimers
{
    /// <summary>Told by the registry when a subscriber left or died.</summary>
    public sealed record Drop(IActorRef Subscriber);

    /// <summary>Starts reading the subject: the history's place is decided, or a failed follow's backoff has passed.</summary>
    private sealed record StartReading
    {
        public static readonly StartReading Instance = new();
    }

    private sealed record HistoryReadDone(long After, long UpTo, string Epoch, HistoryRead? Read);

    // How often a topic looks again while the node has not decided where its history lives.
    private static readonly TimeSpan UndecidedRecheck = TimeSpan.FromMilliseconds(250);

    private readonly HashSet<IActorRef> _subscribers = [];

    // Subscribers that joined while the topic was not reading: told Joined once it is.
    private readonly HashSet<IActorRef> _notYetJoined = [];
    // Reads of the stream in flight, by the seq each starts after, with who waits and from which seq.
    private readonly Dictionary<long, List<(IActorRef Resumer, long After)>> _reads = [];
    private readonly ReplayWindow _window;
    private readonly string _subject;
    private readonly Feed _feed;
    private readonly TenantId _tenant;
    private readonly INatsGateway _gateway;
    private readonly IBroadcastHistory _history;
    private readonly NodeSequence _memorySeqs;
    private readonly IBrowserPush _push;
    private readonly PortalActorSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private HistoryPlace? _place;
    private IActorRef? _follower;
    private string _epoch = "";
    private bool _active;
    private bool _followed;
    private bool _linkDown;
    private long _seq;
    private long _refused;
    private int _followFailures;
    private int _followers;

    public TopicActor(Feed feed, TenantId tenant, INatsGateway gateway, IBroadcastHistory history, NodeSequence memorySeqs, IBrowserPush push, PortalActorSettings settings)
    {
        _memorySeqs = memorySeqs;
        _feed = feed;
        _tenant = tenant;
        _subject = Subjects.Broadcast(feed, tenant);
        _gateway = gateway;
        _history = history;
        _push = push;
        _settings = settings;
        _window = new ReplayWindow(settings.ReplayHistoryLimit, settings.ReplayHistoryAge);

        Receive<Join>(join =>
        {
            _subscribers.Add(join.Subscriber);
            if (_active)
            {
                join.Subscriber.Tell(JoinedNow());
            }
            else
            {
                _notYetJoined.Add(join.Subscriber);
            }
        });
        Receive<Drop>(drop =>
        {
            _subscribers.Remove(drop.Subscriber);
            _notYetJoined.Remove(drop.Subscriber);
        });
        Receive<StartReading>(_ => StartReadingSubject());
        Receive<Replay>(replay => Replay(replay.After));
        Receive<HistoryReadDone>(ReadDone);

        // Memory: the node's own subscription, numbered here.
        Receive<SubjectSubscriber.Active>(_ => BecomeActive());
        Receive<SubjectSubscriber.Lost>(_ => _active = false);
        Receive<NatsInbound>(message => Fanout(null, message.Body));

        // Shared: the history follow, numbered by the stream.
        Receive<HistoryFollower.Following>(Following);
        Receive<HistoryMessage>(FromHistory);
        Receive<Terminated>(t => t.ActorRef.Equals(_follower), _ => FollowLost());
        Receive<Terminated>(_ => _log.Debug("An earlier history follow of {Subject} stopped", _subject));
        Receive<NatsLinkChanged>(LinkChanged);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Feed feed, TenantId tenant, INatsGateway gateway, IBroadcastHistory history, NodeSequence memorySeqs, IBrowserPush push, PortalActorSettings settings) =>
        Akka.Actor.Props.Create(() => new TopicActor(feed, tenant, gateway, history, memorySeqs, push, settings));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(NatsLinkChanged));
        StartReadingSubject();
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    // A failed follow is not restarted in place: the topic starts a new one from its last seq after a backoff.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private Joined JoinedNow() => new(_subject, _seq, _epoch, Continuous: _place?.Shared == true);

    private void StartReadingSubject()
    {
        if (_history.Place is not { } place)
        {
            // The node has not heard from NATS whether it offers JetStream: subscribers wait in Joining.
            Timers.StartSingleTimer(StartReading.Instance, StartReading.Instance, UndecidedRecheck);
            return;
        }

        _place ??= place;
        if (!_place.Shared)
        {
            // A seq of its own to start from: every seq an earlier topic of this subject gave is older, so
            // a resume from one of them is not covered (what came while no topic listened is lost).
            Restart(_memorySeqs.Next(), _place.Epoch);
            Context.ActorOf(SubjectSubscriber.Supervised(_subject, Self, _gateway, _settings), "nats");
            return;
        }

        _follower = Context.Watch(Context.ActorOf(
            HistoryFollower.Props(_subject, _followed ? _seq : null, _epoch, Self, _history), $"history-{++_followers}"));
    }

    /// <summary>Reading again: the subscribers that joined meanwhile are answered (the others are joined already).</summary>
    private void BecomeActive()
    {
        _active = true;
        var joined = JoinedNow();
        foreach (var subscriber in _notYetJoined)
        {
            subscriber.Tell(joined);
        }

        _notYetJoined.Clear();
    }

    private void Following(HistoryFollower.Following following)
    {
        if (!Sender.Equals(_follower))
        {
            return; // an earlier follow that has been replaced
        }

        _followFailures = 0;
        if (!_followed)
        {
            _followed = true;
            Restart(following.After, following.Epoch);
        }
        else if (!following.Continuous || following.Epoch != _epoch)
        {
            // The stream no longer holds what came during the outage (or was made anew): a gap the feeds
            // cannot replay, so each sends its browser a fresh snapshot.
            _log.Warning("The history of {Subject} no longer holds the gap after seq {Seq}; its feeds send fresh snapshots", _subject, _seq);
            Restart(following.After, following.Epoch);
            // Only to those joined already: one that joined meanwhile gets Joined next, and its snapshot after it.
            var gap = new Gap(_subject, _seq, _epoch);
            foreach (var subscriber in _subscribers.Where(s => !_notYetJoined.Contains(s)))
            {
                subscriber.Tell(gap);
            }
        }

        BecomeActive();
    }

    private void Restart(long after, string epoch)
    {
        _seq = after;
        _epoch = epoch;
        _window.Reset(after);
    }

    private void FromHistory(HistoryMessage message)
    {
        // A follow that was replaced may still deliver; the new one starts after the last seq, so seq order drops repeats.
        if (!_followed || message.Seq <= _seq)
        {
            return;
        }

        if (message.Subject != _subject)
        {
            // nats-server 2.9 ignores a filter it does not know: never let another subject through.
            _log.Warning("The history follow of {Subject} delivered another subject; dropped", _subject);
            return;
        }

        Fanout(message.Seq, message.Body);
    }

    private void FollowLost()
    {
        _follower = null;
        _active = false;
        var delay = _settings.BackoffBefore(++_followFailures);
        Timers.StartSingleTimer(StartReading.Instance, StartReading.Instance, delay);
    }

    private void LinkChanged(NatsLinkChanged changed)
    {
        var wasDown = _linkDown;
        _linkDown = changed.Link == NatsLink.Down;
        if (_place?.Shared != true || !wasDown || _linkDown || _follower is null)
        {
            return;
        }

        // Back after an outage: a fresh follow from the last seq, whatever state the old consumer is in.
        Context.Unwatch(_follower);
        Context.Stop(_follower);
        _follower = null;
        Timers.Cancel(StartReading.Instance);
        StartReadingSubject();
    }

    /// <summary>
    /// Numbers, keeps and fans out one broadcast: by its stream seq on the shared history, by the node's
    /// counter on memory. A malformed one is dropped (on the shared history its seq is passed all the same).
    /// </summary>
    private void Fanout(long? streamSeq, ReadOnlyMemory<byte> body)
    {
        if (streamSeq is { } passed)
        {
            _seq = passed;
        }

        if (Parse(body) is not { } parsed)
        {
            return;
        }

        _seq = streamSeq ?? _memorySeqs.Next();
        var topicEvent = Prepare(_seq, parsed);
        _window.Add(topicEvent, Context.System.Scheduler.Now.UtcDateTime);
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(topicEvent);
        }
    }

    private ParsedBroadcast? Parse(ReadOnlyMemory<byte> body)
    {
        if (BroadcastParser.TryParse(_feed, _tenant, body) is not { } parsed)
        {
            _refused++;
            _log.Warning("Refused a malformed broadcast on {Subject} ({Refused} so far)", _subject, _refused);
            return null;
        }

        return parsed;
    }

    private TopicEvent Prepare(long seq, ParsedBroadcast parsed) =>
        new(_subject, seq, _push.Prepare(parsed.EventName, parsed.Payload, new SeqInfo(seq, _epoch)));

    private void Replay(long after)
    {
        if (_place?.Shared != true)
        {
            // Memory: only seqs this topic gave, still in its window.
            var complete = _window.Covers(after) && after <= _seq;
            Sender.Tell(new Replayed(_subject, complete ? _window.After(after) : [], complete));
            return;
        }

        if (_window.Covers(after))
        {
            // A seq beyond the newest here is one the follow has yet to deliver: it follows live.
            Sender.Tell(new Replayed(_subject, _window.After(after), Complete: true));
            return;
        }

        // Older than the window: read from the stream. A read already out from this seq or an older one
        // serves this resume too (a node's sockets resume from nearly the same seqs, all at once).
        var from = _reads.Keys.Where(k => k <= after).DefaultIfEmpty(long.MinValue).Max();
        if (!_reads.TryGetValue(from, out var waiting))
        {
            _reads[after] = waiting = [];
            var (upTo, epoch) = (_window.From, _epoch);
            ReadBounded(after, upTo).PipeTo(
                Self, success: read => new HistoryReadDone(after, upTo, epoch, read), failure: _ => new HistoryReadDone(after, upTo, epoch, null));
        }

        waiting.Add((Sender, after));
    }

    /// <summary>A read of the stream that gives up after the request timeout (the resume waits for it no longer).</summary>
    private async Task<HistoryRead> ReadBounded(long after, long upTo)
    {
        using var bound = new CancellationTokenSource(_settings.RequestTimeout);
        return await _history.ReadAsync(_subject, after, upTo, bound.Token);
    }

    private void ReadDone(HistoryReadDone done)
    {
        if (!_reads.Remove(done.After, out var waiting))
        {
            return;
        }

        // Complete only if the stream held the start and the window still goes on where the read stopped.
        var complete = done.Read is { Complete: true } && done.Epoch == _epoch && _window.From <= done.UpTo;
        List<TopicEvent> older = [];
        HashSet<long> held = [done.After];
        if (complete)
        {
            var read = done.Read!.Messages.Where(m => m.Subject == _subject && m.Seq > done.After && m.Seq <= done.UpTo).ToList();
            held.UnionWith(read.Select(m => m.Seq));
            older = read
                .Select(m => (m.Seq, Parsed: Parse(m.Body)))
                .Where(m => m.Parsed is not null)
                .Select(m => Prepare(m.Seq, m.Parsed!.Value))
                .ToList();
            _window.Prepend(older, done.After, Context.System.Scheduler.Now.UtcDateTime);
        }

        var newer = complete ? _window.After(done.UpTo) : [];
        foreach (var (resumer, after) in waiting)
        {
            // A resume from a later seq is complete when its own broadcast was among those read (still held).
            resumer.Tell(complete && held.Contains(after)
                ? new Replayed(_subject, [.. older.Where(e => e.Seq > after), .. newer], Complete: true)
                : new Replayed(_subject, [], Complete: false));
        }
    }
}
