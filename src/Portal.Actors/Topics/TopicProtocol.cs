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

    /// <summary>
    /// The node's NATS subscription (or history follow) for the subject is in place; <see cref="LastSeq"/>
    /// is the newest seq so far, in <see cref="Epoch"/>. <see cref="Continuous"/>: the topic reads the
    /// shared history and goes on from its last seq after a NATS outage, so its feeds need not start over.
    /// </summary>
    public sealed record Joined(string Subject, long LastSeq, string Epoch = "", bool Continuous = false);

    /// <summary>
    /// The topic could not go on from its last seq (the history no longer held the gap of an outage, or
    /// it was made anew): every subscriber sends its browser a fresh snapshot. Seqs go on after
    /// <see cref="After"/>, in <see cref="Epoch"/>.
    /// </summary>
    public sealed record Gap(string Subject, long After, string Epoch);

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
