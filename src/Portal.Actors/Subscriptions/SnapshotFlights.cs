using System.Collections.Concurrent;
using Portal.Actors.Nats;

namespace Portal.Actors.Subscriptions;

/// <summary>
/// Single-flight for snapshot parts: the feeds of one user's sockets that ask the same part of the same
/// tenant's feed while one such request is out, current as of the same seq, share that request and its
/// answer (a crowd of tabs, a page with many sockets, a reconnect storm). Never across users (the services
/// may answer each user differently) and never across seqs: a feed that joined its topic later must not
/// take an answer that may predate a broadcast it will not get live. A flight ends with its answer; the
/// next ask starts a new one. Thread-safe; nothing waits.
/// </summary>
public sealed class SnapshotFlights
{
    private readonly ConcurrentDictionary<Key, Task<NatsReply>> _inFlight = new();
    private long _shared;

    /// <summary>What makes two asks the same: the part, the tenant, the user, and the seq and epoch the answer must be current as of.</summary>
    public readonly record struct Key(string Part, string Tenant, string UserId, long AsOf, string Epoch);

    /// <summary>How many asks took an answer already on its way instead of asking the service.</summary>
    public long Shared => Interlocked.Read(ref _shared);

    /// <summary>The answer of the flight for <paramref name="key"/>: the one out now, or one <paramref name="request"/> starts.</summary>
    public Task<NatsReply> Ask(Key key, Func<Task<NatsReply>> request, out bool shared)
    {
        var mine = new TaskCompletionSource<NatsReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = _inFlight.GetOrAdd(key, mine.Task);
        shared = flight != mine.Task;
        if (shared)
        {
            Interlocked.Increment(ref _shared);
            return flight;
        }

        request().ContinueWith(
            done =>
            {
                // Gone before it is answered, so that whoever asks after the answer asks afresh.
                _inFlight.TryRemove(new KeyValuePair<Key, Task<NatsReply>>(key, mine.Task));
                mine.SetResult(done.IsCompletedSuccessfully ? done.Result : NatsReply.Unavailable);
            },
            TaskContinuationOptions.ExecuteSynchronously);
        return mine.Task;
    }
}
