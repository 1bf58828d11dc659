using static Portal.Actors.Topics.TopicProtocol;

namespace Portal.Actors.Topics;

/// <summary>
/// The broadcasts of one subject a topic keeps for replay, in seq order, bounded by count and age like
/// the history stream. It knows the seq <see cref="From"/> which it holds every broadcast of the subject,
/// so whether a replay after a seq is complete is a comparison, even though seqs have gaps.
/// </summary>
internal sealed class ReplayWindow(int limit, TimeSpan maxAge)
{
    private readonly LinkedList<(TopicEvent Event, DateTime At)> _events = new();

    /// <summary>Every broadcast of the subject with a seq above this one is held.</summary>
    public long From { get; private set; }

    public int Count => _events.Count;

    /// <summary>Forgets everything: from now on the window holds what comes after <paramref name="from"/>.</summary>
    public void Reset(long from)
    {
        _events.Clear();
        From = from;
    }

    public void Add(TopicEvent topicEvent, DateTime now)
    {
        _events.AddLast((topicEvent, now));
        while (_events.Count > limit || (_events.First is { } oldest && now - oldest.Value.At > maxAge))
        {
            From = _events.First!.Value.Event.Seq;
            _events.RemoveFirst();
        }
    }

    /// <summary>
    /// Puts older broadcasts in front, read from the shared history: all of those after <paramref name="from"/>
    /// up to <see cref="From"/>. The window then holds everything after <paramref name="from"/>, as far as its limit allows.
    /// </summary>
    public void Prepend(IReadOnlyList<TopicEvent> older, long from, DateTime now)
    {
        if (from >= From)
        {
            return;
        }

        for (var i = older.Count - 1; i >= 0; i--)
        {
            if (older[i].Seq <= From)
            {
                _events.AddFirst((older[i], now));
            }
        }

        From = from;
        while (_events.Count > limit)
        {
            From = _events.First!.Value.Event.Seq;
            _events.RemoveFirst();
        }
    }

    /// <summary>Whether every broadcast after <paramref name="after"/> is here.</summary>
    public bool Covers(long after) => after >= From;

    public List<TopicEvent> After(long after)
    {
        var found = new List<TopicEvent>();
        for (var node = _events.Last; node is not null && node.Value.Event.Seq > after; node = node.Previous)
        {
            found.Add(node.Value.Event);
        }

        found.Reverse();
        return found;
    }
}
