using Akka.Actor;
using Akka.Event;

namespace Portal.Actors.Nats;

/// <summary>
/// Holds one NATS subscription and tells every message to its target. It fails when subscribing
/// fails or the subscription breaks; run it under <see cref="Supervised"/> so that it comes back
/// with exponential backoff and tells the target <see cref="SubjectSubscriber.Active"/> each time.
/// </summary>
public sealed class SubjectSubscriber : ReceiveActor
{
    /// <summary>Told to the target once the server holds the subscription.</summary>
    public sealed record Active(string Subject);

    /// <summary>Told to the target when the subscription is lost; a restart follows after backoff.</summary>
    public sealed record Lost(string Subject);

    private sealed record Subscribed(IAsyncDisposable Subscription);

    private sealed record Ended(Exception? Fault);

    private readonly string _subject;
    private readonly IActorRef _target;
    private readonly INatsGateway _gateway;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Task<IAsyncDisposable>? _subscribing;

    public SubjectSubscriber(string subject, IActorRef target, INatsGateway gateway)
    {
        _subject = subject;
        _target = target;
        _gateway = gateway;

        Receive<Subscribed>(_ => _target.Tell(new Active(_subject)));
        Receive<Status.Failure>(f => Fail($"subscribing to {_subject} failed: {f.Cause.Message}"));
        Receive<Ended>(e => Fail($"the subscription to {_subject} ended: {e.Fault?.Message ?? "closed"}"));
    }

    public static Props Props(string subject, IActorRef target, INatsGateway gateway) =>
        Akka.Actor.Props.Create(() => new SubjectSubscriber(subject, target, gateway));

    /// <summary>A <see cref="SubjectSubscriber"/> restarted with exponential backoff after every failure.</summary>
    public static Props Supervised(string subject, IActorRef target, INatsGateway gateway, PortalActorSettings settings) =>
        RestartWithBackoff.Props(Props(subject, target, gateway), "subscriber", settings);

    protected override void PreStart()
    {
        var self = Self;
        _subscribing = _gateway.SubscribeAsync(
            _subject,
            onMessage: message => _target.Tell(message, ActorRefs.NoSender),
            onEnded: fault => self.Tell(new Ended(fault)));
        _subscribing.PipeTo(self, success: sub => new Subscribed(sub));
    }

    // Disposed through the task, not a field set on Subscribed: a subscribe that completes after this actor
    // stopped (its topic was dropped meanwhile) must not stay open on the server.
    protected override void PostStop() => DisposeOnceStarted.Dispose(_subscribing);

    private void Fail(string reason)
    {
        _target.Tell(new Lost(_subject));
        _log.Warning("NATS subscription lost, restarting with backoff: {Reason}", reason);
        throw new NatsLinkLostException(reason);
    }
}
