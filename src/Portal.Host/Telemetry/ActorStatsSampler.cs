using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Portal.Actors;
using Portal.Actors.Connections;
using Portal.Actors.Nats;
using Portal.Actors.Topics;
using Portal.Protocol;

namespace Portal.Host.Telemetry;

/// <summary>
/// The actor-side gauges: every few seconds asks the top-level actors for their counts (one message
/// each, off every hot path) and keeps the answers for the scrape (how many messages the actors left
/// unhandled among them); and counts actor failures that supervision handled, from the actor system's
/// event stream.
/// </summary>
internal sealed class ActorStatsSampler(
    ActorSystem system,
    IRequiredActor<SessionManager.Key> sessions,
    IRequiredActor<PortalActorKeys.Topics> topics,
    IRequiredActor<PortalActorKeys.ClientReplies> replies,
    IRequiredActor<PortalActorKeys.Unhandled> unhandled,
    PortalMetrics metrics) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(1);

    private long _connectionActors;
    private long _topics;
    private long _topicSubscribers;
    private long _replyClients;
    private long _unhandledMessages;
    private IReadOnlyDictionary<Feed, int> _subscribersByFeed = new Dictionary<Feed, int>();

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveGauge("portal.connection_actors", "{actor}", "Connection actors (one per socket) on this node", () => Interlocked.Read(ref _connectionActors));
        metrics.ObserveGauge("portal.topics", "{topic}", "Broadcast subjects this node is subscribed to (one TopicActor and one NATS subscription each)", () => Interlocked.Read(ref _topics));
        metrics.ObserveGauge("portal.topic_subscribers", "{subscriber}", "Feed children (dashboard, patients, claims) joined to a topic", () => Interlocked.Read(ref _topicSubscribers));
        metrics.ObserveGauge("portal.feed_subscribers", "{subscriber}", "Feed children joined to a topic, by kind", () =>
            Enum.GetValues<Feed>().Select(feed => new Measurement<long>(
                Volatile.Read(ref _subscribersByFeed).GetValueOrDefault(feed), new KeyValuePair<string, object?>("feed", feed.ToString().ToLowerInvariant()))));
        metrics.ObserveGauge("portal.reply_clients", "{client}", "Sockets waiting on a per-socket reply subject", () => Interlocked.Read(ref _replyClients));
        metrics.ObserveCounter(
            "portal.unhandled_messages",
            "{message}",
            "Messages an actor of this node left unhandled (each logged as a warning with its type and the actor's path)",
            () => Interlocked.Read(ref _unhandledMessages));

        var counter = system.ActorOf(Props.Create(() => new FailureCounter(metrics)), "metrics-failures");
        system.EventStream.Subscribe(counter, typeof(Error));
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            await SampleAsync();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task SampleAsync()
    {
        try
        {
            var count = await sessions.ActorRef.Ask<SessionManager.ConnectionCount>(SessionManager.GetConnectionCount.Instance, AskTimeout);
            var topicStats = await topics.ActorRef.Ask<TopicProtocol.Stats>(TopicProtocol.GetStats.Instance, AskTimeout);
            var replyStats = await replies.ActorRef.Ask<ClientReplyRouter.Stats>(ClientReplyRouter.GetStats.Instance, AskTimeout);
            Interlocked.Exchange(ref _connectionActors, count.Count);
            Interlocked.Exchange(ref _topics, topicStats.Topics);
            Interlocked.Exchange(ref _topicSubscribers, topicStats.Subscribers);
            var feedCounts = await topics.ActorRef.Ask<TopicProtocol.FeedCounts>(TopicProtocol.GetFeedCounts.Instance, AskTimeout);
            Volatile.Write(ref _subscribersByFeed, feedCounts.Subscribers);
            Interlocked.Exchange(ref _replyClients, replyStats.Clients);
            var unhandledCount = await unhandled.ActorRef.Ask<UnhandledMessages.Count>(UnhandledMessages.GetCount.Instance, AskTimeout);
            Interlocked.Exchange(ref _unhandledMessages, unhandledCount.Unhandled);
        }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException)
        {
            // Busy or stopping: keep the last sample.
        }
    }

    /// <summary>Supervisors publish an <see cref="Error"/> with the cause for each failure they restart or stop.</summary>
    private sealed class FailureCounter : ReceiveActor
    {
        public FailureCounter(PortalMetrics metrics) =>
            Receive<Error>(error =>
            {
                if (error.Cause is { } cause)
                {
                    var root = cause is ActorInitializationException { InnerException: { } inner } ? inner : cause;
                    metrics.ActorFailed(root.GetType().Name);
                }
            });
    }
}
