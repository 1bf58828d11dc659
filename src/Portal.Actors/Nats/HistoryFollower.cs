using Akka.Actor;
using Akka.Event;
using Portal.Actors.History;

namespace Portal.Actors.Nats;

/// <summary>
/// Reads one subject from the shared history (a JetStream consumer) and tells its target every
/// broadcast, from the seq it was made with. It fails when the follow cannot start or breaks; its
/// topic then makes a new one after a backoff, from the last seq it got, so an outage leaves no gap
/// as long as the history still holds it.
/// </summary>
public sealed class HistoryFollower : ReceiveActor
{
    /// <summary>Told to the target once the follow is in place.</summary>
    public sealed record Following(string Subject, long After, bool Continuous, string Epoch);

    private sealed record Started(IHistoryFollow Follow);

    private sealed record Ended(Exception? Fault);

    private readonly string _subject;
    private readonly long? _after;
    private readonly string? _epoch;
    private readonly IActorRef _target;
    private readonly IBroadcastHistory _history;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Task<IHistoryFollow>? _starting;

    public HistoryFollower(string subject, long? after, string? epoch, IActorRef target, IBroadcastHistory history)
    {
        _subject = subject;
        _after = after;
        _epoch = epoch;
        _target = target;
        _history = history;

        Receive<Started>(s => _target.Tell(new Following(_subject, s.Follow.After, s.Follow.Continuous, s.Follow.Epoch)));
        Receive<Status.Failure>(f => Fail($"following {_subject} in the history failed: {f.Cause.Message}"));
        Receive<Ended>(e => Fail($"following {_subject} in the history ended: {e.Fault?.Message ?? "closed"}"));
    }

    /// <param name="after">Follow after this seq of <paramref name="epoch"/> (null: after the newest).</param>
    public static Props Props(string subject, long? after, string? epoch, IActorRef target, IBroadcastHistory history) =>
        Akka.Actor.Props.Create(() => new HistoryFollower(subject, after, epoch, target, history));

    protected override void PreStart()
    {
        var self = Self;
        var target = _target;
        _starting = _history.FollowAsync(
            _subject,
            _after,
            _epoch,
            onMessage: message => target.Tell(message, ActorRefs.NoSender),
            onEnded: fault => self.Tell(new Ended(fault)));
        _starting.PipeTo(self, success: follow => new Started(follow));
    }

    // A follow that starts after this actor stopped (its topic was dropped meanwhile) must not stay open.
    protected override void PostStop() => DisposeOnceStarted.Dispose(_starting);

    private void Fail(string reason)
    {
        _log.Warning("History follow lost; the topic follows again after a backoff: {Reason}", reason);
        throw new NatsLinkLostException(reason);
    }
}
