using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;
using static Portal.Actors.Topics.TopicProtocol;

namespace Portal.Actors.Subscriptions;

/// <summary>
/// One live feed (dashboard, patients or claims) of one tenant for one socket. It joins the node's
/// topic for the feed, sends the browser the current snapshot, then forwards each broadcast with its
/// seq. Each snapshot request (a retry too) is made in a span under the trace of the call it answers:
/// the subscribe, or a later one. When the NATS link drops, a feed whose topic reads the shared history
/// (<see cref="Joined.Continuous"/>) stays: the topic goes on from its last seq, and tells a
/// <see cref="Gap"/> when it cannot. A feed on a node's memory history fails instead, and its connection
/// actor starts it again after a backoff, so that the browser gets a fresh snapshot, not a silent gap.
/// <para>
/// States: <see cref="Joining"/> → <see cref="Fetching"/> → <see cref="Live"/>. A resume (of a held session,
/// or a fresh one on another node, <see cref="SubscriptionSpec.Resume"/>) goes through <see cref="Replaying"/>
/// and <see cref="AwaitingRelease"/>: the feed reports whether it can replay, and pushes nothing until its
/// connection actor has answered the resume (PROTOCOL.md §3: the answer, then the replay, then live pushes).
/// Each state names what it does with every message the feed can get. A snapshot is asked for in rounds:
/// each round (the first, a refresh's, a resume's, a gap's) asks every part afresh, and answers and retries of
/// an earlier round are dropped; a part the service could not answer is asked again with backoff in
/// whatever state the feed is in, until it arrives.
/// </para>
/// </summary>
public sealed class SubscriptionActor : ReceiveActor, IWithStash, IWithTimers
{
    /// <summary>The browser subscribed again: send the snapshot again. <see cref="Trace"/> is that call's trace context.</summary>
    public sealed record Refresh(string? RequestId)
    {
        public ActivityContext Trace { get; init; }
    }

    /// <summary>
    /// The session moved to a new socket that last saw <see cref="After"/> (null: it sent none) in
    /// <see cref="Epoch"/>: replay what came since from the topic's history, or send a fresh snapshot
    /// when that is not possible (no seq, another epoch, too old). <see cref="ReplyTo"/> gets
    /// <see cref="Resumed"/>, and the feed pushes nothing until it is told <see cref="ReleaseReplay"/>.
    /// <see cref="Trace"/> is the resume call's trace context.
    /// </summary>
    public sealed record ResumeAfter(long? After, string? Epoch, IActorRef ReplyTo)
    {
        public ActivityContext Trace { get; init; }
    }

    /// <summary>Whether every broadcast after the browser's last seq can be replayed.</summary>
    public sealed record Resumed(Feed Feed, bool Recovered);

    /// <summary>The resume has been answered: push the replay (or, when it could not be, the snapshot), then go live.</summary>
    public sealed record ReleaseReplay
    {
        public static readonly ReleaseReplay Instance = new();
    }

    /// <summary>
    /// The feed ends (its socket switched tenant, unsubscribed or logged out): a subscribe (or refresh)
    /// not answered yet is refused with <see cref="Code"/> and <see cref="Message"/>, then the feed stops.
    /// </summary>
    public sealed record Cancel(string Code, string Message);

    /// <summary>Thrown on a broadcast for another subject: a routing bug must never reach the browser.</summary>
    public sealed class ForeignBroadcastException(string message) : Exception(message);

    private sealed record SnapshotPart(string Subject, NatsReply Reply, int Round);

    /// <summary>Asks a snapshot part again after the service was unavailable.</summary>
    private sealed record RetryPart(string Subject, int Round);

    private sealed record JoinTimedOut
    {
        public static readonly JoinTimedOut Instance = new();
    }

    private readonly SubscriptionSpec _spec;
    private readonly INatsGateway _nats;
    private readonly IBrowserPush _push;
    private readonly IActorRef _topics;
    private readonly PortalActorSettings _settings;
    private readonly SnapshotFlights? _flights;
    private readonly string _subject;
    private readonly string[] _parts;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, int> _partRetries = [];
    private readonly HashSet<string> _awaitedParts = [];
    private IActorRef _topic = ActorRefs.Nobody;
    private string? _requestId;
    private int _round;
    private bool _toldUnavailable;

    // The topic's history: the epoch its seqs belong to, and whether it goes on across a NATS outage.
    private string _epoch = "";
    private bool _continuous;

    // The seq the snapshot of this round is current as of: every broadcast after it follows the snapshot.
    private SeqInfo _snapshotAsOf = new(0, "");

    // Whether the call the snapshot answers has had its answer: the whole snapshot, or a refusal.
    private bool _answered;

    // The trace of the call the snapshot answers, like _requestId: the subscribe, a later one, or none.
    private ActivityContext _trace;

    /// <param name="flights">The node's single-flight of snapshot parts; null: every feed asks for itself.</param>
    public SubscriptionActor(SubscriptionSpec spec, INatsGateway nats, IBrowserPush push, IActorRef topics, PortalActorSettings settings, SnapshotFlights? flights = null)
    {
        _flights = flights;
        _spec = spec;
        _nats = nats;
        _push = push;
        _topics = topics;
        _settings = settings;
        _subject = Subjects.Broadcast(spec.Feed, spec.Tenant);
        _parts = spec.Feed switch
        {
            Feed.Dashboard => [Subjects.DashboardGetStats, Subjects.DashboardGetActivity],
            Feed.Patients => [Subjects.PatientList],
            _ => [],
        };
        _requestId = spec.RequestId;
        _trace = spec.Trace;
        _answered = spec.Restored;
        Joining();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The latest seq pushed to the browser (for resume after a drop).</summary>
    public long LastSeq { get; private set; }

    public static Props Props(SubscriptionSpec spec, INatsGateway nats, IBrowserPush push, IActorRef topics, PortalActorSettings settings, SnapshotFlights? flights = null) =>
        Akka.Actor.Props.Create(() => new SubscriptionActor(spec, nats, push, topics, settings, flights));

    protected override void PreStart()
    {
        if (_nats.Link == NatsLink.Down)
        {
            throw new NatsLinkLostException($"NATS is down; {_spec.Feed} feed waits for it");
        }

        Context.System.EventStream.Subscribe(Self, typeof(NatsLinkChanged));
        _topics.Tell(new Join(_spec.Feed, _spec.Tenant, Self));
        Timers.StartSingleTimer(JoinTimedOut.Instance, JoinTimedOut.Instance, _settings.RequestTimeout);
    }

    protected override void PostStop()
    {
        Context.System.EventStream.Unsubscribe(Self);
        _topics.Tell(new Leave(_spec.Feed, _spec.Tenant, Self));
    }

    /// <summary>Waits for the topic's NATS subscription; no snapshot is asked before it, so no broadcast falls between.</summary>
    private void Joining()
    {
        Receive<Joined>(joined =>
        {
            _topic = Sender;
            _epoch = joined.Epoch;
            _continuous = joined.Continuous;
            LastSeq = joined.LastSeq; // the topic tells this feed only what comes after
            Timers.Cancel(JoinTimedOut.Instance);
            if (_spec.Resume is { } resume)
            {
                BeginResume(new ResumeAfter(resume.After, resume.Epoch, Context.Parent) { Trace = _spec.Trace });
            }
            else
            {
                FetchSnapshot();
            }
        });
        Receive<JoinTimedOut>(_ => throw new NatsLinkLostException($"joining {_subject} timed out"));
        Receive<TopicEvent>(_ => Stash.Stash());

        // A later subscribe takes over the call: the first snapshot answers it.
        Receive<Refresh>(r =>
        {
            _requestId = r.RequestId ?? _requestId;
            _trace = r.Trace == default ? _trace : r.Trace;
        });
        Receive<ResumeAfter>(_ => Stash.Stash());
        Receive<Cancel>(CancelFeed);
        WhenLinkDrops();

        // No snapshot round has begun: no SnapshotPart or RetryPart can come yet; nor a Gap, Replayed or
        // ReleaseReplay, which follow Joined.
    }

    /// <summary>A round of the snapshot is out; live events and later calls wait behind it so the order holds.</summary>
    private void Fetching()
    {
        DropEarlierRounds();
        Receive<SnapshotPart>(part =>
        {
            PushSnapshotPart(part);
            if (_awaitedParts.Remove(part.Subject) && _awaitedParts.Count == 0)
            {
                _answered = true;
                GoLive();
            }
        });
        Receive<RetryPart>(Retry);
        KeepBehindTheWait();
        LateFromAResume();
    }

    /// <summary>Waits for the topic's history; live events wait behind it so the order holds.</summary>
    private void Replaying(ResumeAfter resume)
    {
        Receive<Replayed>(replayed =>
        {
            resume.ReplyTo.Tell(new Resumed(_spec.Feed, replayed.Complete));
            Become(() => AwaitingRelease(resume, replayed));
        });

        // The resume was answered without this feed (its replay took too long): the browser reloads, so a snapshot.
        Receive<ReleaseReplay>(_ => FetchForResume(resume));

        // A part still owed from the last round is asked again now; its answer waits behind the replay.
        DropEarlierRounds();
        Receive<RetryPart>(Retry);
        Receive<SnapshotPart>(_ => Stash.Stash());
        KeepBehindTheWait();
    }

    /// <summary>
    /// Has told its connection actor whether it can replay (<paramref name="replayed"/>: null when it could
    /// not even ask) and pushes nothing until the resume is answered; then it pushes the replay and goes live,
    /// or sends the snapshot. Everything else waits behind.
    /// </summary>
    private void AwaitingRelease(ResumeAfter resume, Replayed? replayed)
    {
        Receive<ReleaseReplay>(_ =>
        {
            if (replayed is not { Complete: true })
            {
                FetchForResume(resume);
                return;
            }

            foreach (var topicEvent in replayed.Events.Where(e => e.Seq > resume.After))
            {
                Deliver(topicEvent);
            }

            LastSeq = Math.Max(LastSeq, resume.After ?? 0);
            GoLive();
        });

        DropEarlierRounds();
        Receive<RetryPart>(Retry);
        Receive<SnapshotPart>(_ => Stash.Stash());
        KeepBehindTheWait();
    }

    /// <summary>Starts a resume: asks the topic for what came after the browser's seq, when that seq is one of the topic's history.</summary>
    private void BeginResume(ResumeAfter resume)
    {
        if (resume.After is not { } after || resume.Epoch != _epoch)
        {
            // No seq, or one of another history (another node's memory, a stream made anew): a snapshot.
            resume.ReplyTo.Tell(new Resumed(_spec.Feed, false));
            Become(() => AwaitingRelease(resume, null));
            return;
        }

        _topic.Tell(new Replay(after));
        Become(() => Replaying(resume));
    }

    /// <summary>Pushes each broadcast of its subject; serves a refresh with a new round and a resume with a replay.</summary>
    private void Live()
    {
        Receive<TopicEvent>(topicEvent =>
        {
            if (topicEvent.Subject != _subject)
            {
                throw new ForeignBroadcastException($"a broadcast of {topicEvent.Subject} reached the {_subject} feed");
            }

            // After a replay, events the history already gave are not sent twice.
            if (topicEvent.Seq > LastSeq)
            {
                Deliver(topicEvent);
            }
        });
        Receive<ResumeAfter>(BeginResume);
        Receive<Gap>(gap =>
        {
            // The topic could not go on from where it was: what came meanwhile is lost, so a fresh snapshot.
            _epoch = gap.Epoch;
            LastSeq = gap.After;
            FetchSnapshot();
        });
        Receive<Refresh>(refresh =>
        {
            // A new call: it gets its own answer, a refusal included.
            _requestId = refresh.RequestId;
            _trace = refresh.Trace;
            _answered = false;
            _toldUnavailable = false;
            FetchSnapshot();
        });

        // A part the service could not answer arrives late, or is asked again.
        DropEarlierRounds();
        Receive<SnapshotPart>(PushSnapshotPart);
        Receive<RetryPart>(Retry);
        Receive<Joined>(_ => { }); // the topic subscribed again after a NATS hiccup: already joined
        Receive<Cancel>(CancelFeed);
        LateFromAResume();
        WhenLinkDrops();
    }

    /// <summary>
    /// What a state that waits (for a snapshot, a replay, a release) keeps for the state after it, in order:
    /// live events and later calls; and what it serves alike: a repeated join, a cancel, the link dropping.
    /// </summary>
    private void KeepBehindTheWait()
    {
        Receive<TopicEvent>(_ => Stash.Stash());
        Receive<Refresh>(_ => Stash.Stash());
        Receive<ResumeAfter>(_ => Stash.Stash());
        Receive<Gap>(_ => Stash.Stash());
        Receive<Joined>(_ => { }); // the topic subscribed again after a NATS hiccup: already joined
        Receive<Cancel>(CancelFeed);
        WhenLinkDrops();
    }

    /// <summary>A replay or release that comes after this feed gave up on its resume (it sent a snapshot instead).</summary>
    private void LateFromAResume()
    {
        Receive<Replayed>(_ => _log.Debug("Ignored a replay after the feed sent a snapshot instead"));
        Receive<ReleaseReplay>(_ => _log.Debug("Ignored a release after the feed sent a snapshot instead"));
    }

    /// <summary>An answer or a retry of a round a refresh or resume has replaced: the new round asks every part itself.</summary>
    private void DropEarlierRounds()
    {
        Receive<SnapshotPart>(part => part.Round != _round, _ => { });
        Receive<RetryPart>(retry => retry.Round != _round, _ => { });
    }

    private void GoLive()
    {
        Become(Live);
        Stash.UnstashAll();
    }

    private void Deliver(TopicEvent topicEvent)
    {
        LastSeq = topicEvent.Seq;
        _push.Send(_spec.Route, topicEvent.Push);
    }

    private void WhenLinkDrops() =>
        Receive<NatsLinkChanged>(changed =>
        {
            // On the shared history the topic goes on from its last seq; on memory what comes meanwhile is lost.
            if (changed.Link == NatsLink.Down && !_continuous)
            {
                throw new NatsLinkLostException($"NATS link lost; the {_spec.Feed} feed restarts when it is back");
            }
        });

    /// <summary>
    /// Refuses every call not answered yet (the one the snapshot answers, and later subscribes that
    /// wait in the stash), then stops. A feed whose calls were all answered just stops.
    /// </summary>
    private void CancelFeed(Cancel cancel)
    {
        if (!_answered)
        {
            Refuse(cancel.Code, cancel.Message, _requestId);
        }

        foreach (var waiting in Stash.ClearStash())
        {
            if (waiting.Message is Refresh refresh)
            {
                Refuse(cancel.Code, cancel.Message, refresh.RequestId);
            }
        }

        Context.Stop(Self);
    }

    /// <summary>A resume's refetch, in the resume call's trace.</summary>
    private void FetchForResume(ResumeAfter resume)
    {
        _trace = resume.Trace;
        if (_parts.Length == 0)
        {
            // Claims have no snapshot, and a resume is no subscribe to answer: live from here.
            GoLive();
            return;
        }

        FetchSnapshot();
    }

    /// <summary>Begins a round: every part is asked afresh, and what is still owed from an earlier round is dropped.</summary>
    private void FetchSnapshot()
    {
        _round++;
        _snapshotAsOf = new SeqInfo(LastSeq, _epoch);
        foreach (var part in _parts)
        {
            Timers.Cancel(RetryKey(part));
        }

        _partRetries.Clear();
        if (_parts.Length == 0)
        {
            // Claims have no snapshot: the subscription itself is the answer.
            _push.Send(_spec.Route, EventNames.ResponseOf(EventNames.ClaimsSubscribe), new ClaimsSubscribedResponse(true, null, _requestId, LastSeq, _epoch));
            _answered = true;
            GoLive();
            return;
        }

        var body = SnapshotBody();
        _awaitedParts.Clear();
        _awaitedParts.UnionWith(_parts);
        foreach (var subject in _parts)
        {
            RequestPart(subject, body, attempt: 1);
        }

        Become(Fetching);
    }

    private void Retry(RetryPart retry) => RequestPart(retry.Subject, SnapshotBody(), _partRetries.GetValueOrDefault(retry.Subject) + 1);

    private byte[] SnapshotBody() => PortalJson.ToUtf8(new TenantScopedRequest(_spec.Tenant.Value, _spec.Session.UserId));

    private static (string, string) RetryKey(string subject) => ("retry", subject);

    private void RequestPart(string subject, byte[] body, int attempt)
    {
        // One span per attempt, each under the call's trace: until the snapshot arrives the call is unanswered.
        using var span = PortalTracing.StartUnder(PortalTracing.FeedSnapshot, _trace);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("portal.feed", _spec.Method);
            span.SetTag("portal.snapshot.subject", subject);
            span.SetTag("portal.snapshot.attempt", attempt);
        }

        var round = _round;
        var shared = false;
        var reply = _flights is null
            ? _nats.RequestAsync(subject, body, _spec.Session.Headers, _settings.RequestTimeout)
            : _flights.Ask(
                new SnapshotFlights.Key(subject, _spec.Tenant.Value, _spec.Session.UserId, _snapshotAsOf.Seq, _snapshotAsOf.Epoch),
                () => _nats.RequestAsync(subject, body, _spec.Session.Headers, _settings.RequestTimeout),
                out shared);
        if (span is { IsAllDataRequested: true } && _flights is not null)
        {
            span.SetTag("portal.snapshot.shared", shared);
        }

        reply.PipeTo(Self, success: r => new SnapshotPart(subject, r, round), failure: _ => new SnapshotPart(subject, NatsReply.Unavailable, round));
    }

    /// <summary>Pushes a part of the snapshot, or refuses the call for it; a part the service could not answer is asked again later.</summary>
    private void PushSnapshotPart(SnapshotPart part)
    {
        var outcome = ServiceOutcome.From(part.Reply);
        if (outcome.LinkDown && !_continuous)
        {
            throw new NatsLinkLostException($"NATS link lost while fetching the {_spec.Feed} snapshot");
        }

        var (eventName, data) = part.Subject switch
        {
            Subjects.DashboardGetStats => (EventNames.DashboardStats, outcome.Failed ? null : (JsonElement?)outcome.Root),
            Subjects.DashboardGetActivity => (EventNames.DashboardActivity, outcome.Array("activities")),
            _ => (EventNames.PatientsListed, outcome.Array("patients")),
        };

        if (outcome.ErrorCode == ErrorCodes.ServiceUnavailable)
        {
            // The service is away (often just behind NATS after an outage): say so once, then keep
            // asking with backoff; live pushes flow meanwhile and the snapshot follows when it can.
            if (!_toldUnavailable)
            {
                _toldUnavailable = true;
                Tell(outcome);
            }

            var attempt = _partRetries[part.Subject] = _partRetries.GetValueOrDefault(part.Subject) + 1;
            Timers.StartSingleTimer(RetryKey(part.Subject), new RetryPart(part.Subject, _round), _settings.BackoffBefore(attempt));
            return;
        }

        _partRetries.Remove(part.Subject);
        if (outcome.Failed || data is not { } payload)
        {
            Tell(outcome.Failed ? outcome : ServiceOutcome.Malformed($"no list in the {part.Subject} reply"));
            return;
        }

        _toldUnavailable = false;

        // With the seq it is current as of, so that a resume can replay even a feed with no live push yet.
        _push.Send(_spec.Route, eventName, payload, _snapshotAsOf);
    }

    private void Tell(ServiceOutcome failed)
    {
        _log.Warning("{Feed} snapshot for a socket failed: {Code}", _spec.Feed, failed.ErrorCode);
        Refuse(failed.ErrorCode!, failed.ErrorMessage!, _requestId);
    }

    /// <summary>Refuses a subscribe of this feed (the one the snapshot answers, unless a later one waits): that answers it.</summary>
    private void Refuse(string code, string message, string? requestId)
    {
        _answered = true;
        _push.Refuse(_spec.Route, new CallRejection(code, message, _spec.Method, requestId));
    }
}
