using Akka.Actor;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Actors.Subscriptions;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;
using static Portal.Actors.Connections.ConnectionProtocol;

namespace Portal.Actors.Connections;

/// <summary>A socket drops and comes back: the session is held, then moves to the new socket and its feeds replay what it missed.</summary>
public sealed partial class ConnectionActor
{
    /// <summary>Keeps user, tenant and feeds for the grace period; live pushes are skipped and come back by replay.</summary>
    private void Detach()
    {
        _route.Detach();
        Timers.StartSingleTimer(GraceExpired.Instance, GraceExpired.Instance, _deps.Settings.ResumeGrace);
    }

    /// <summary>Asks the auth service whether the resume's token still holds, in the resume call's trace.</summary>
    private void AskAboutToken(Reattach reattach)
    {
        using var span = PortalTracing.StartUnder(reattach.Call.Method, reattach.Trace);
        AskAboutToken(reattach.Call.Token, reply => new ReattachVerified(reply));
    }

    /// <summary>True: the auth service accepts the token (for the customer portal); false: it refused it; null: it could not say.</summary>
    private static bool? TokenStillValid(NatsReply reply)
    {
        if (ServiceOutcome.From(reply).Failed)
        {
            return null;
        }

        return PortalJson.TryFromUtf8<AuthVerifyReply>(reply.Body.Span) is { AcceptsCustomer: true };
    }

    /// <summary>
    /// Moves the session to the resuming socket. Returns the feeds whose replay the answer waits for
    /// (a feed waiting to start again after a failure is not recovered: it sends a fresh snapshot), or
    /// null when the answer went out at once (nothing to replay).
    /// </summary>
    private Dictionary<Feed, bool?>? MoveTo(Reattach reattach)
    {
        var call = reattach.Call;

        // The reattach is the resume call's work here: it and the feeds' replay join the call's trace.
        using var span = PortalTracing.StartUnder(call.Method, reattach.Trace);
        var trace = span?.Context ?? reattach.Trace;
        Timers.Cancel(GraceExpired.Instance);
        var previous = _route.ConnectionId;
        var replay = call.LastSeq is not null && _feeds.Count > 0;
        if (!replay)
        {
            // The answer reaches the new socket before any live push of the session can.
            Push.Send(reattach.ConnectionId, EventNames.ResponseOf(call.Method), ResumeAnswer(call, call.LastSeq is null ? null : true));
        }

        // From here on the session is the new socket's: calls still in flight from the old one are refused
        // there when their answers come. Without a replay every push goes to the new socket now; with one,
        // nothing does until the answer is out (Replaying opens the route), so that no live push of a feed
        // still in Live can reach the new socket before the answer.
        if (replay)
        {
            _route.Reserve(reattach.ConnectionId);
        }
        else
        {
            _route.MoveTo(reattach.ConnectionId);
        }

        Context.Parent.Tell(new Reattached(reattach.ConnectionId));
        if (previous is not null && previous != reattach.ConnectionId)
        {
            // The old socket is still open: told after the move, so nothing of the session follows the
            // notice; the manager hears first, so whatever the old socket sends next reaches its new actor.
            Context.Parent.Tell(new MovedAway(previous));
            Push.Send(previous, EventNames.Error, new ErrorPush(ErrorCodes.Unauthenticated, BrowserPushExtensions.MovedMessage, null, null));
        }

        if (!replay)
        {
            return null;
        }

        // Each feed says whether it can replay; the answer goes out once all have, then the replays.
        var lastSeq = call.LastSeq!;
        var replays = new Dictionary<Feed, bool?>();
        foreach (var feed in _feeds.Feeds)
        {
            if (_feeds.ChildOf(feed) is not { } child)
            {
                replays[feed] = false;
                continue;
            }

            replays[feed] = null;
            child.Tell(new SubscriptionActor.ResumeAfter(SeqOf(lastSeq, feed), call.Epoch, Self) { Trace = trace });
        }

        if (replays.Values.All(r => r is not null))
        {
            AnswerResume(call, recovered: false);
            return null;
        }

        return replays;
    }

    private void AnswerResume(ResumeCall call, bool? recovered) => Push.Respond(_route, call, ResumeAnswer(call, recovered));

    /// <summary>The socket a held session was moved to while its feeds replay: it gets pushes from the answer on.</summary>
    private void OpenReservedRoute()
    {
        if (_route.ConnectionId is null && _route.Reserved is { } moved)
        {
            _route.MoveTo(moved);
        }
    }

    private ResumeResponse ResumeAnswer(ResumeCall call, bool? recovered) => new(
        true,
        _session!.User,
        _tenant?.Value,
        _feeds.Feeds.Select(f => f.ToString().ToLowerInvariant()).Order().ToList(),
        recovered,
        null,
        call.RequestId)
    {
        Epoch = _deps.History.Place?.Epoch,
    };

    /// <summary>A feed a fresh resume restores: no subscribe to answer, and a replay from the browser's seq when it sent seqs.</summary>
    private SubscriptionSpec RestoredFeed(ResumeCall call, Feed feed, TenantId tenant) =>
        new(_route, feed, tenant, _session!, null)
        {
            Trace = _callTrace,
            Restored = true,
            Resume = call.LastSeq is { } lastSeq ? new FeedResume(SeqOf(lastSeq, feed), call.Epoch) : null,
        };

    private static long? SeqOf(LastSeq lastSeq, Feed feed) => feed switch
    {
        Feed.Dashboard => lastSeq.Dashboard,
        Feed.Patients => lastSeq.Patients,
        _ => lastSeq.Claims,
    };
}
