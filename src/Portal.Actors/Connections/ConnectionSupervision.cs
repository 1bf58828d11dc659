using Akka.Actor;
using Akka.Actor.Internal;
using Portal.Actors.Subscriptions;

namespace Portal.Actors.Connections;

/// <summary>
/// How a connection actor supervises its children. The tenant child restarts in place (it only caches
/// the tenant list; at most 10 times a minute, then it is made again when a call needs it). A feed child
/// that fails is stopped, and <paramref name="feedFailed"/> is told why: the connection actor starts it
/// again after a backoff on its own timer, unless the fault is a protocol fault, which ends the feed.
/// </summary>
public sealed class ConnectionSupervision(Func<IActorRef, bool> isFeed, Action<IActorRef, Exception> feedFailed)
    : OneForOneStrategy(maxNrOfRetries: 10, withinTimeRange: TimeSpan.FromMinutes(1), localOnlyDecider: _ => Directive.Restart)
{
    /// <summary>A fault that marks a bug, not a passing condition: starting the feed again would repeat it.</summary>
    public static bool IsProtocolFault(Exception fault) => fault switch
    {
        SubscriptionActor.ForeignBroadcastException => true,
        ActorInitializationException { InnerException: { } inner } => IsProtocolFault(inner),
        _ => false,
    };

    public override void ProcessFailure(
        IActorContext context, bool restart, IActorRef child, Exception cause, ChildRestartStats stats, IReadOnlyCollection<ChildRestartStats> children)
    {
        if (!isFeed(child))
        {
            base.ProcessFailure(context, restart, child, cause, stats, children);
            return;
        }

        feedFailed(child, cause);
        context.Stop(child);
    }
}
