using Akka.Actor;
using Akka.Event;
using Portal.Actors.Browser;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tenants;
using Portal.Protocol;
using Portal.Protocol.Browser;

namespace Portal.Actors.Connections;

/// <summary>
/// The children: the tenant child, made when a list or select needs it, and one child per live feed,
/// started again after a backoff when it fails (see <see cref="ConnectionSupervision"/> and <see cref="SessionFeeds"/>).
/// </summary>
public sealed partial class ConnectionActor
{
    // Why a feed ends before it may have answered its subscribe: the call is refused with this, never left unanswered.
    private static readonly SubscriptionActor.Cancel CancelOnTenantChange = new(ErrorCodes.Forbidden, "The tenant changed before the feed's first answer arrived.");
    private static readonly SubscriptionActor.Cancel CancelOnUnsubscribe = new(ErrorCodes.Forbidden, "The feed was unsubscribed before its first answer arrived.");
    private static readonly SubscriptionActor.Cancel CancelOnSessionEnd = new(ErrorCodes.Unauthenticated, "The session ended before the feed's first answer arrived.");

    // Made on first use, and again if it ever stopped (it gives up after too many restarts in a minute).
    private IActorRef TenantsChild => _tenants ??= Context.Watch(
        Context.ActorOf(_deps.Children.Tenants(new TenantSpec(_route, _clientId, _session!)), $"tenants-{++_childNames}"));

    private void StartFeed(SubscriptionSpec spec) => _feeds.Started(spec, StartFeedChild(spec));

    /// <summary>The backoff of a failed feed has passed: it starts again from its spec, if the session still holds it.</summary>
    private void RestartFeedChild(Feed feed)
    {
        if (_feeds.AwaitingRestart(feed) is { } spec)
        {
            // A feed a resume restored starts again as a plain feed: the resume it would replay for was answered.
            _feeds.Restarted(feed, StartFeedChild(spec with { Resume = null }));
        }
    }

    private IActorRef StartFeedChild(SubscriptionSpec spec) =>
        Context.Watch(Context.ActorOf(_deps.Children.Subscription(spec), $"{spec.Feed.ToString().ToLowerInvariant()}-{++_childNames}"));

    /// <summary>
    /// A child stopped without being asked to. The tenant child is made again when a call needs it; a
    /// feed that failed on a transient fault starts again after its backoff; a feed that ended for good
    /// is dropped and the browser told. Returns the feed, when the child was one.
    /// </summary>
    private Feed? ChildStopped(Terminated terminated)
    {
        var child = terminated.ActorRef;
        if (child.Equals(_tenants))
        {
            _tenants = null;
            return null;
        }

        if (_feeds.FeedOf(child) is not { } feed)
        {
            _log.Debug("A child this session no longer holds stopped");
            return null;
        }

        if (_feeds.RestartDelay(feed) is { } delay)
        {
            Timers.StartSingleTimer(("restart", feed), new RestartFeed(feed), delay);
            return feed;
        }

        _feeds.Remove(feed);
        _log.Warning("The {Feed} feed of {ConnectionId} stopped for good", feed, _route);
        Push.Refuse(_route, new CallRejection(ErrorCodes.Internal, "The live feed stopped; please subscribe again.", new SubscribeCall(feed).Method, null));
        return feed;
    }
}
