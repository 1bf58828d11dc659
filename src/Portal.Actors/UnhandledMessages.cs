using Akka.Actor;
using Akka.Event;

namespace Portal.Actors;

/// <summary>
/// Nothing an actor of the node leaves unhandled goes by silently: each such message is logged as a
/// warning with its type and the path of the actor that left it, and counted for the metrics. Never
/// its content: portal messages carry patient, claim and insurance data. For the same reason Akka's
/// own dead-letter logger (which appends the content) is off (<see cref="Hocon"/>); dead letters are
/// logged here instead, by type, at debug level (a feed that stopped still gets broadcasts for a
/// moment, so they are routine).
/// </summary>
public sealed class UnhandledMessages : ReceiveActor
{
    /// <summary>Turns off Akka's dead-letter logger, which would print the content of unhandled messages and dead letters.</summary>
    public const string Hocon = "akka.log-dead-letters = off";

    public sealed record GetCount
    {
        public static readonly GetCount Instance = new();
    }

    /// <summary>How many messages actors of the node left unhandled since it started.</summary>
    public sealed record Count(long Unhandled);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _unhandled;

    public UnhandledMessages()
    {
        Receive<UnhandledMessage>(unhandled =>
        {
            _unhandled++;
            _log.Warning("{Actor} left a {MessageType} unhandled (from {Sender})", unhandled.Recipient.Path, TypeOf(unhandled), PathOf(unhandled.Sender));
        });
        Receive<AllDeadLetters>(dead =>
            _log.Debug("A {MessageType} to {Actor} was not delivered (from {Sender})", TypeOf(dead), dead.Recipient.Path, PathOf(dead.Sender)));
        Receive<GetCount>(_ => Sender.Tell(new Count(_unhandled)));
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new UnhandledMessages());

    /// <summary>The type of an unhandled or undelivered message, unwrapped from any envelope (an actor selection, say).</summary>
    public static string TypeOf(AllDeadLetters letter) => WrappedMessage.Unwrap(letter.Message)?.GetType().FullName ?? "null";

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private static string PathOf(IActorRef sender) => sender.IsNobody() ? "nobody" : sender.Path.ToString();
}

/// <summary>Starts the node's <see cref="UnhandledMessages"/>.</summary>
public static class UnhandledMessagesStart
{
    /// <summary>
    /// Starts the listener, subscribed before this returns: an actor started after it cannot leave a
    /// message unhandled before the listener hears of it.
    /// </summary>
    public static IActorRef StartUnhandledMessages(this ActorSystem system, string name)
    {
        var listener = system.ActorOf(UnhandledMessages.Props(), name);
        foreach (var letter in new[] { typeof(UnhandledMessage), typeof(DeadLetter), typeof(Dropped) })
        {
            system.EventStream.Subscribe(listener, letter);
        }

        return listener;
    }
}
