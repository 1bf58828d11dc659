using Akka.Actor;
using Akka.Event;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using static Portal.Actors.Topics.TopicProtocol;

namespace Portal.Actors.Topics;

/// <summary>
/// One NATS subject of one node: owns its single NATS subscription (a backoff-supervised child),
/// parses each broadcast once, numbers it, keeps a bounded history for resume, and fans it out to
/// every subscriber of this node.
/// </summary>
internal sealed class TopicActor : ReceiveActor
{
    /// <summary>Told by the registry when a subscriber left or died.</summary>
    public sealed record Drop(IActorRef Subscriber);

    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly Queue<(TopicEvent Event, DateTime At)> _history = new();
    private readonly string _subject;
    private readonly Feed _feed;
    private readonly TenantId _tenant;
    private readonly INatsGateway _gateway;
    private readonly IBrowserPush _push;
    private readonly PortalActorSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _active;
    private long _seq;
    private long _refused;

    public TopicActor(Feed feed, TenantId tenant, INatsGateway gateway, IBrowserPush push, PortalActorSettings settings)
    {
        _feed = feed;
        _tenant = tenant;
        _subject = Subjects.Broadcast(feed, tenant);
        _gateway = gateway;
        _push = push;
        _settings = settings;

        Receive<Join>(join =>
        {
            _subscribers.Add(join.Subscriber);
            if (_active)
            {
                join.Subscriber.Tell(new Joined(_subject, _seq));
            }
        });
        Receive<Drop>(drop => _subscribers.Remove(drop.Subscriber));
        Receive<SubjectSubscriber.Active>(_ =>
        {
            // Joiners that came while the subscription was being made are answered now.
            var wasActive = _active;
            _active = true;
            if (!wasActive)
            {
                foreach (var subscriber in _subscribers)
                {
                    subscriber.Tell(new Joined(_subject, _seq));
                }
            }
        });
        Receive<SubjectSubscriber.Lost>(_ => _active = false);
        Receive<NatsInbound>(Fanout);
        Receive<Replay>(replay => Sender.Tell(ReplayAfter(replay.After)));
    }

    public static Props Props(Feed feed, TenantId tenant, INatsGateway gateway, IBrowserPush push, PortalActorSettings settings) =>
        Akka.Actor.Props.Create(() => new TopicActor(feed, tenant, gateway, push, settings));

    protected override void PreStart() =>
        Context.ActorOf(SubjectSubscriber.Supervised(_subject, Self, _gateway, _settings), "nats");

    private void Fanout(NatsInbound message)
    {
        if (BroadcastParser.TryParse(_feed, _tenant, message.Body) is not { } parsed)
        {
            _refused++;
            _log.Warning("Refused a malformed broadcast on {Subject} ({Refused} so far)", _subject, _refused);
            return;
        }

        ++_seq;
        var topicEvent = new TopicEvent(_subject, _seq, _push.Prepare(parsed.EventName, parsed.Payload, new SeqInfo(_seq)));
        Remember(topicEvent);
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(topicEvent);
        }
    }

    private void Remember(TopicEvent topicEvent)
    {
        var now = Context.System.Scheduler.Now.UtcDateTime;
        _history.Enqueue((topicEvent, now));
        while (_history.Count > _settings.ReplayHistoryLimit
               || (_history.Count > 0 && now - _history.Peek().At > _settings.ReplayHistoryAge))
        {
            _history.Dequeue();
        }
    }

    private Replayed ReplayAfter(long after)
    {
        // A seq from the future is not one this topic gave (another node, or a topic made anew).
        if (after > _seq)
        {
            return new Replayed(_subject, [], Complete: false);
        }

        var oldestKept = _history.Count > 0 ? _history.Peek().Event.Seq : _seq + 1;
        var events = _history.Select(h => h.Event).Where(e => e.Seq > after).ToList();
        return new Replayed(_subject, events, Complete: after + 1 >= oldestKept);
    }
}
