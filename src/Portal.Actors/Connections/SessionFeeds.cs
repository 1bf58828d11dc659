using Akka.Actor;
using Portal.Actors.Subscriptions;
using Portal.Protocol;

namespace Portal.Actors.Connections;

/// <summary>
/// The live feeds a session holds, each with its child, or without one while the child waits to be
/// started again after a failure. The connection actor supervises its feeds itself: a child that failed
/// on a transient fault (NATS away, above all) starts again after an exponential backoff with jitter,
/// the way Akka's BackoffSupervisor would, without a supervisor actor per feed.
/// </summary>
public sealed class SessionFeeds(PortalActorSettings settings)
{
    private sealed class Slot(SubscriptionSpec spec, IActorRef child)
    {
        public SubscriptionSpec Spec { get; } = spec;

        public IActorRef? Child { get; set; } = child;

        public Exception? Fault { get; set; }

        public int Failures { get; set; }

        public long StartedAt { get; set; } = Environment.TickCount64;
    }

    private readonly Dictionary<Feed, Slot> _slots = [];

    public int Count => _slots.Count;

    /// <summary>The feeds held, with a child or waiting for one (sorted, as the resume answer lists them).</summary>
    public IEnumerable<Feed> Feeds => _slots.Keys.Order();

    public bool Holds(Feed feed) => _slots.ContainsKey(feed);

    public IActorRef? ChildOf(Feed feed) => _slots.TryGetValue(feed, out var slot) ? slot.Child : null;

    public Feed? FeedOf(IActorRef child)
    {
        foreach (var (feed, slot) in _slots)
        {
            if (child.Equals(slot.Child))
            {
                return feed;
            }
        }

        return null;
    }

    public void Started(SubscriptionSpec spec, IActorRef child) => _slots[spec.Feed] = new Slot(spec, child);

    /// <summary>The spec to start <paramref name="feed"/> again from, when it is held and has no child.</summary>
    public SubscriptionSpec? AwaitingRestart(Feed feed) => _slots.TryGetValue(feed, out var slot) && slot.Child is null ? slot.Spec : null;

    public void Restarted(Feed feed, IActorRef child)
    {
        var slot = _slots[feed];
        slot.Child = child;
        slot.Fault = null;
        slot.StartedAt = Environment.TickCount64;
    }

    /// <summary>Remembers why a child failed, for when its Terminated arrives (its supervisor stopped it).</summary>
    public void Failed(IActorRef child, Exception cause)
    {
        if (FeedOf(child) is { } feed)
        {
            _slots[feed].Fault = cause;
        }
    }

    /// <summary>
    /// The feed's child is gone by itself: how long to wait before it starts again (a transient fault),
    /// or null when the feed ended for good (a protocol fault, or it stopped without failing).
    /// </summary>
    public TimeSpan? RestartDelay(Feed feed)
    {
        var slot = _slots[feed];
        slot.Child = null;
        if (slot.Fault is not { } fault || ConnectionSupervision.IsProtocolFault(fault))
        {
            return null;
        }

        // A feed that ran well for a while before it failed starts again from the shortest delay.
        var ranFor = TimeSpan.FromMilliseconds(Environment.TickCount64 - slot.StartedAt);
        slot.Failures = ranFor > settings.RestartBackoffMax ? 1 : slot.Failures + 1;
        return settings.BackoffBefore(slot.Failures) * (1 + (Random.Shared.NextDouble() * 0.2));
    }

    /// <summary>Drops the feed; returns its child to stop, if it has one.</summary>
    public IActorRef? Remove(Feed feed) => _slots.Remove(feed, out var slot) ? slot.Child : null;

    /// <summary>Drops every feed; returns the children to stop.</summary>
    public List<IActorRef> RemoveAll()
    {
        var children = _slots.Values.Where(s => s.Child is not null).Select(s => s.Child!).ToList();
        _slots.Clear();
        return children;
    }
}
