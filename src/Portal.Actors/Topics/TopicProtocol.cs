using Akka.Actor;
using Portal.Actors.Browser;
using Portal.Protocol;
using Portal.Protocol.Ids;

namespace Portal.Actors.Topics;

/// <summary>Messages between subscription actors and the node's topics.</summary>
public static class TopicProtocol
{
    /// <summary>Asks to receive the broadcasts of one feed of one tenant; answered with <see cref="Joined"/>.</summary>
    public sealed record Join(Feed Feed, TenantId Tenant, IActorRef Subscriber);

    public sealed record Leave(Feed Feed, TenantId Tenant, IActorRef Subscriber);

    /// <summary>The node's NATS subscription for the subject is in place; <see cref="LastSeq"/> is the newest seq so far.</summary>
    public sealed record Joined(string Subject, long LastSeq);

    /// <summary>
    /// One broadcast, parsed once for the node, numbered per subject, and prepared once as the push
    /// every subscriber sends (its payload and <c>{seq}</c> are the same for all of them).
    /// </summary>
    public sealed record TopicEvent(string Subject, long Seq, PreparedPush Push)
    {
        public string EventName => Push.EventName;
    }

    /// <summary>Asks the topic (the sender of <see cref="Joined"/>) for the events after <see cref="After"/>.</summary>
    public sealed record Replay(long After);

    /// <summary>
    /// The events after the asked seq, in order. <see cref="Complete"/> is false when the history no
    /// longer reaches back that far (or the seq is not one this topic gave): the browser must reload.
    /// </summary>
    public sealed record Replayed(string Subject, IReadOnlyList<TopicEvent> Events, bool Complete);

    public sealed record GetStats
    {
        public static readonly GetStats Instance = new();
    }

    /// <summary>How many topics (one NATS subscription each) and subscribers the node holds.</summary>
    public sealed record Stats(int Topics, int Subscribers);

    /// <summary>Asks how many feed children are joined, by feed; answered with <see cref="FeedCounts"/>.</summary>
    public sealed record GetFeedCounts
    {
        public static readonly GetFeedCounts Instance = new();
    }

    public sealed record FeedCounts(IReadOnlyDictionary<Feed, int> Subscribers);
}
