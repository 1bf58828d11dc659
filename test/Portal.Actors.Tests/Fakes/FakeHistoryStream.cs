using System.Text;
using Portal.Actors.History;

namespace Portal.Actors.Tests.Fakes;

/// <summary>
/// A JetStream stream in memory, as <see cref="IBroadcastHistory"/> sees one: stream-wide seqs over every
/// subject, follows that deliver a subject after a seq, reads that are complete only while the broadcast
/// they start after is held. Specs publish, drop messages (as limits do), break follows (as an outage
/// does) and count reads.
/// </summary>
public sealed class FakeHistoryStream : IBroadcastHistory
{
    private readonly Lock _lock = new();
    private readonly List<HistoryMessage> _messages = [];
    private readonly List<FakeFollow> _follows = [];
    private long _lastSeq;
    private int _reads;
    private int _followAttempts;
    private TaskCompletionSource? _heldReads;

    public FakeHistoryStream(string epoch = "2026-12-04T00:00:00.0000000Z") => Place = new HistoryPlace(true, epoch);

    public HistoryPlace? Place { get; set; }

    /// <summary>While true every follow fails to start, as while NATS is away.</summary>
    public bool RefuseFollows { get; set; }

    /// <summary>While true reads wait (a slow stream under load); set false, they are answered.</summary>
    public bool HoldReads
    {
        get => _heldReads is not null;
        set
        {
            if (value)
            {
                _heldReads ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                Interlocked.Exchange(ref _heldReads, null)?.SetResult();
            }
        }
    }

    /// <summary>How many follows were asked for, the refused ones too.</summary>
    public int FollowAttempts => Volatile.Read(ref _followAttempts);

    /// <summary>How many reads reached the stream.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Follows made so far, the broken ones too.</summary>
    public int FollowsMade
    {
        get
        {
            lock (_lock)
            {
                return _follows.Count;
            }
        }
    }

    /// <summary>A broadcast enters the stream and reaches every follow of its subject; returns its seq.</summary>
    public long Publish(string subject, string body)
    {
        lock (_lock)
        {
            var message = new HistoryMessage(subject, ++_lastSeq, Encoding.UTF8.GetBytes(body));
            _messages.Add(message);
            foreach (var follow in _follows.Where(f => f.Subject == subject && !f.Ended))
            {
                follow.OnMessage(message);
            }

            return message.Seq;
        }
    }

    /// <summary>The stream drops what a limit drops: the message at <paramref name="seq"/>.</summary>
    public void Drop(long seq)
    {
        lock (_lock)
        {
            _messages.RemoveAll(m => m.Seq == seq);
        }
    }

    /// <summary>Every follow ends with a fault, as when the link to NATS breaks.</summary>
    public void BreakFollows()
    {
        List<FakeFollow> broken;
        lock (_lock)
        {
            broken = _follows.Where(f => !f.Ended).ToList();
            broken.ForEach(f => f.Ended = true);
        }

        broken.ForEach(f => f.OnEnded(new InvalidOperationException("the link to NATS broke")));
    }

    public Task<IHistoryFollow> FollowAsync(string subject, long? after, string? epoch, Action<HistoryMessage> onMessage, Action<Exception?> onEnded)
    {
        Interlocked.Increment(ref _followAttempts);
        if (RefuseFollows)
        {
            return Task.FromException<IHistoryFollow>(new InvalidOperationException("NATS is away"));
        }

        lock (_lock)
        {
            var continuous = after is { } asked && epoch == Place!.Epoch && (asked == 0 || Holds(subject, asked));
            var start = continuous ? after!.Value : _messages.LastOrDefault(m => m.Subject == subject).Seq;
            var follow = new FakeFollow(subject, start, continuous || after is null, Place!.Epoch, onMessage, onEnded);
            _follows.Add(follow);
            foreach (var message in _messages.Where(m => m.Subject == subject && m.Seq > start))
            {
                onMessage(message);
            }

            return Task.FromResult<IHistoryFollow>(follow);
        }
    }

    public async Task<HistoryRead> ReadAsync(string subject, long after, long upTo, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        if (_heldReads is { } held)
        {
            await held.Task;
        }

        lock (_lock)
        {
            var complete = after == 0 ? _messages.FirstOrDefault().Seq <= 1 : Holds(subject, after);
            return complete
                ? new HistoryRead(true, _messages.Where(m => m.Subject == subject && m.Seq > after && m.Seq <= upTo).ToList())
                : new HistoryRead(false, []);
        }
    }

    private bool Holds(string subject, long seq) => _messages.Any(m => m.Seq == seq && m.Subject == subject);

    private sealed class FakeFollow(string subject, long after, bool continuous, string epoch, Action<HistoryMessage> onMessage, Action<Exception?> onEnded)
        : IHistoryFollow
    {
        public string Subject { get; } = subject;

        public Action<HistoryMessage> OnMessage { get; } = onMessage;

        public Action<Exception?> OnEnded { get; } = onEnded;

        public bool Ended { get; set; }

        public long After { get; } = after;

        public bool Continuous { get; } = continuous;

        public string Epoch { get; } = epoch;

        public ValueTask DisposeAsync()
        {
            Ended = true;
            return ValueTask.CompletedTask;
        }
    }
}
