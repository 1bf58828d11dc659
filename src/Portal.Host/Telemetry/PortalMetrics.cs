using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Portal.Host.Telemetry;

/// <summary>
/// The portal's one meter, <c>HtpiActors.Portal</c>, and every instrument on it; scraped at
/// <c>/metrics</c>. The host side counts as things happen (the hub's outboxes and the NATS gateway see
/// every message); the actor side is sampled now and then by <see cref="ActorStatsSampler"/>, never
/// asked on a hot path. Tags are bounded: event names, error codes, subject families (ids cut off).
/// </summary>
public sealed class PortalMetrics : IDisposable
{
    public const string MeterName = "HtpiActors.Portal";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _socketsOpen;
    private readonly Counter<long> _socketsConnected;
    private readonly Counter<long> _pushes;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _slowConsumers;
    private readonly Counter<long> _natsIn;
    private readonly Counter<long> _natsOut;
    private readonly UpDownCounter<long> _natsSubscriptions;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _actorFailures;

    public PortalMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _socketsOpen = _meter.CreateUpDownCounter<long>("portal.sockets.open", "{socket}", "Browser sockets open on this node");
        _socketsConnected = _meter.CreateCounter<long>("portal.sockets.connected", "{socket}", "Browser sockets accepted");
        _pushes = _meter.CreateCounter<long>("portal.pushes", "{push}", "Pushes queued to browsers, by event");
        _errors = _meter.CreateCounter<long>("portal.errors", "{error}", "error pushes to browsers, by code");
        _slowConsumers = _meter.CreateCounter<long>("portal.slow_consumers", "{socket}", "Sockets closed because their outbound queue overflowed");
        _natsIn = _meter.CreateCounter<long>("portal.nats.messages.in", "{message}", "NATS messages received, by subject family");
        _natsOut = _meter.CreateCounter<long>("portal.nats.messages.out", "{message}", "NATS publishes and requests sent, by subject family");
        _natsSubscriptions = _meter.CreateUpDownCounter<long>("portal.nats.subscriptions", "{subscription}", "NATS subscriptions held, by subject family");
        _requestDuration = _meter.CreateHistogram<double>(
            "portal.nats.request.duration",
            "s",
            "NATS request/reply latency, by subject and outcome",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _actorFailures = _meter.CreateCounter<long>("portal.actor.failures", "{failure}", "Actor failures handled by supervision (restart or stop), by exception");

        // Present from the first scrape, not only after the first socket.
        _socketsOpen.Add(0);
        _socketsConnected.Add(0);
    }

    public void SocketOpened()
    {
        _socketsOpen.Add(1);
        _socketsConnected.Add(1);
    }

    public void SocketClosed() => _socketsOpen.Add(-1);

    public void Pushed(string eventName) => _pushes.Add(1, new KeyValuePair<string, object?>("event", eventName));

    public void ErrorPushed(string code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    public void SlowConsumer() => _slowConsumers.Add(1);

    public void NatsSent(string subject, string kind) =>
        _natsOut.Add(1, new KeyValuePair<string, object?>("family", SubjectFamily(subject)), new KeyValuePair<string, object?>("kind", kind));

    public void NatsRequestDone(string subject, string outcome, TimeSpan elapsed) =>
        _requestDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("subject", SubjectFamily(subject)), new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A subscription was made; returns what counts its messages and, disposed, its end.</summary>
    public SubscriptionMeter Subscribed(string subject)
    {
        var tags = new TagList { { "family", SubjectFamily(subject) } };
        _natsSubscriptions.Add(1, tags);
        return new SubscriptionMeter(this, tags);
    }

    public void ActorFailed(string exception) => _actorFailures.Add(1, new KeyValuePair<string, object?>("exception", exception));

    /// <summary>Gauges read at scrape time from cheap sources (fields, never an actor Ask).</summary>
    public void ObserveGauge(string name, string unit, string description, Func<long> read) =>
        _meter.CreateObservableGauge(name, read, unit, description);

    /// <summary>A counter read at scrape time from a running total kept elsewhere (a sampled actor count).</summary>
    public void ObserveCounter(string name, string unit, string description, Func<long> read) =>
        _meter.CreateObservableCounter(name, read, unit, description);

    /// <summary>A gauge with one measurement per tag value (e.g. per feed kind).</summary>
    public void ObserveGauge(string name, string unit, string description, Func<IEnumerable<Measurement<long>>> read) =>
        _meter.CreateObservableGauge(name, read, unit, description);

    /// <summary>
    /// A subject without its ids: <c>customer.broadcast.patients.tenant-001</c> and
    /// <c>customer.auth.response.&lt;clientId&gt;</c> lose their last token; the portal's <c>htpi.*</c>
    /// subjects are fixed names and stay whole. Anything else is <c>other</c>, so tags stay bounded.
    /// </summary>
    public static string SubjectFamily(string subject)
    {
        if (subject.StartsWith("htpi.", StringComparison.Ordinal))
        {
            return subject;
        }

        if (!subject.StartsWith("customer.", StringComparison.Ordinal))
        {
            return "other";
        }

        var dots = subject.Count(c => c == '.');
        return dots >= 3 ? subject[..subject.LastIndexOf('.')] : subject;
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>Counts one subscription's messages; disposing it counts the subscription gone (once).</summary>
    public sealed class SubscriptionMeter(PortalMetrics metrics, TagList tags) : IDisposable
    {
        private int _ended;

        public void Received() => metrics._natsIn.Add(1, tags);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                metrics._natsSubscriptions.Add(-1, tags);
            }
        }
    }
}
