using Akka.Actor;
using Portal.Actors.Browser;
using Portal.Actors.Subscriptions;
using Portal.Protocol;
using Portal.Protocol.Browser;
using static Portal.Actors.Connections.SessionManager;

namespace Portal.Actors.Connections;

/// <summary>A socket drops and comes back: the session is held, then moves to the new socket and replays what it missed.</summary>
public sealed partial class ConnectionActor
{
    private void Detach()
    {
        if (_session is null)
        {
            Context.Stop(Self);
            return;
        }

        // Keep user, tenant and feeds; live pushes are skipped and come back by replay on resume.
        _route.Detach();
        Timers.StartSingleTimer(GraceExpired.Instance, GraceExpired.Instance, _deps.Settings.ResumeGrace);
        Become(Held);
    }

    private void Reattach(Reattach reattach)
    {
        var call = reattach.Call;
        if (_session is null || _session.Token != call.Token)
        {
            // The session ended (logout, another login) while the reattach was on its way.
            Sender.Tell(new ReattachRefused(reattach.ConnectionId, call) { Trace = reattach.Trace });
            return;
        }

        // The reattach is the resume call's work here: it and the feeds' replay join the call's trace.
        using var span = PortalTracing.StartUnder(call.Method, reattach.Trace);
        var trace = span?.Context ?? reattach.Trace;
        Timers.Cancel(GraceExpired.Instance);
        var previous = _route.ConnectionId;
        var replay = call.LastSeq is { } && _feeds.Count > 0;
        if (!replay)
        {
            // The answer reaches the new socket before any live push of the session can.
            Push.Send(reattach.ConnectionId, EventNames.ResponseOf(call.Method), ResumeAnswer(call, call.LastSeq is null ? null : true));
        }

        // From here on every push of the session, its feeds' included, goes to the new socket.
        _route.MoveTo(reattach.ConnectionId);
        Context.Parent.Tell(new Reattached(reattach.ConnectionId));
        if (previous is not null && previous != reattach.ConnectionId)
        {
            // The old socket is still open: told after the move, so nothing of the session follows the
            // notice; the manager hears first, so whatever the old socket sends next reaches its new actor.
            Context.Parent.Tell(new MovedAway(previous));
            Push.Send(previous, EventNames.Error, new ErrorPush(ErrorCodes.Unauthenticated, "This session was resumed on another connection.", null, null));
        }

        if (!replay)
        {
            Become(Authenticated);
            Stash.UnstashAll();
            return;
        }

        // Replayed pushes come first, then the answer saying whether the replay was complete.
        var lastSeq = call.LastSeq!;
        var feeds = new Dictionary<Feed, bool?>();
        foreach (var (feed, child) in _feeds)
        {
            feeds[feed] = null;
            child.Tell(new SubscriptionActor.ResumeAfter(SeqOf(lastSeq, feed), Self) { Trace = trace });
        }

        Timers.StartSingleTimer(ReplayTimedOut.Instance, ReplayTimedOut.Instance, _deps.Settings.RequestTimeout);
        Become(() => Replaying(call, feeds));
    }

    private void FinishReattach(ResumeCall call, bool? recovered)
    {
        Timers.Cancel(ReplayTimedOut.Instance);
        Push.Respond(_route, call, ResumeAnswer(call, recovered));
        Become(Authenticated);
        Stash.UnstashAll();
    }

    private ResumeResponse ResumeAnswer(ResumeCall call, bool? recovered) => new(
        true,
        _session!.User,
        _tenant?.Value,
        _feeds.Keys.Select(f => f.ToString().ToLowerInvariant()).Order().ToList(),
        recovered,
        null,
        call.RequestId);

    private static long? SeqOf(LastSeq lastSeq, Feed feed) => feed switch
    {
        Feed.Dashboard => lastSeq.Dashboard,
        Feed.Patients => lastSeq.Patients,
        _ => lastSeq.Claims,
    };
}
