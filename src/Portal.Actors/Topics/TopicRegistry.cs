using Akka.Actor;
using Portal.Actors.Browser;
using Portal.Actors.History;
using Portal.Actors.Nats;
using Portal.Protocol;
using static Portal.Actors.Topics.TopicProtocol;

namespace Portal.Actors.Topics;

/// <summary>
/// The node's topics by subject, reference-counted: a topic (and its one NATS subscription) is
/// made on the first join and stopped when its last subscriber leaves or dies.
/// </summary>
public sealed class TopicRegistry : ReceiveActor
{
    private sealed class Topic(IActorRef actor, Feed feed)
    {
        public IActorRef Actor { get; } = actor;

        public Feed Feed { get; } = feed;

        public HashSet<IActorRef> Subscribers { get; } = [];
    }

    private readonly Dictionary<string, Topic> _topics = [];
    private readonly Dictionary<IActorRef, HashSet<string>> _subjectsOf = [];
    private readonly INatsGateway _gateway;
    private readonly IBroadcastHistory _history;
    private readonly NodeSequence _memorySeqs = new();
    private readonly IBrowserPush _push;
    private readonly PortalActorSettings _settings;
    private long _made;

    /// <param name="history">Where the topics read and replay; without one, each topic keeps its own memory.</param>
    public TopicRegistry(INatsGateway gateway, IBrowserPush push, PortalActorSettings settings, IBroadcastHistory? history = null)
    {
        _gateway = gateway;
        _history = history ?? new NodeMemoryHistory();
        _push = push;
        _settings = settings;

        Receive<Join>(OnJoin);
        Receive<Leave>(leave => Remove(Subjects.Broadcast(leave.Feed, leave.Tenant), leave.Subscriber));
        Receive<Terminated>(t =>
        {
            if (_subjectsOf.TryGetValue(t.ActorRef, out var subjects))
            {
                foreach (var subject in subjects.ToArray())
                {
                    Remove(subject, t.ActorRef);
                }
            }
        });
        Receive<GetStats>(_ => Sender.Tell(new Stats(_topics.Count, _subjectsOf.Count)));
        Receive<GetFeedCounts>(_ => Sender.Tell(new FeedCounts(
            _topics.Values.GroupBy(t => t.Feed).ToDictionary(g => g.Key, g => g.Sum(t => t.Subscribers.Count)))));
    }

    public static Props Props(INatsGateway gateway, IBrowserPush push, PortalActorSettings settings, IBroadcastHistory? history = null) =>
        Akka.Actor.Props.Create(() => new TopicRegistry(gateway, push, settings, history));

    private void OnJoin(Join join)
    {
        var subject = Subjects.Broadcast(join.Feed, join.Tenant);
        if (!_topics.TryGetValue(subject, out var topic))
        {
            // A fresh name each time: a stopping topic may still hold the previous one.
            var actor = Context.ActorOf(TopicActor.Props(join.Feed, join.Tenant, _gateway, _history, _memorySeqs, _push, _settings), $"topic-{++_made}");
            topic = new Topic(actor, join.Feed);
            _topics[subject] = topic;
        }

        if (topic.Subscribers.Add(join.Subscriber))
        {
            if (!_subjectsOf.TryGetValue(join.Subscriber, out var subjects))
            {
                _subjectsOf[join.Subscriber] = subjects = [];
                Context.Watch(join.Subscriber);
            }

            subjects.Add(subject);
        }

        topic.Actor.Tell(join);
    }

    private void Remove(string subject, IActorRef subscriber)
    {
        if (_subjectsOf.TryGetValue(subscriber, out var subjects) && subjects.Remove(subject) && subjects.Count == 0)
        {
            _subjectsOf.Remove(subscriber);
            Context.Unwatch(subscriber);
        }

        if (!_topics.TryGetValue(subject, out var topic) || !topic.Subscribers.Remove(subscriber))
        {
            return;
        }

        if (topic.Subscribers.Count == 0)
        {
            _topics.Remove(subject);
            Context.Stop(topic.Actor);
        }
        else
        {
            topic.Actor.Tell(new TopicActor.Drop(subscriber));
        }
    }
}
