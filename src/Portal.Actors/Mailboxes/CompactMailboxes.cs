using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Portal.Actors.Mailboxes;

/// <summary>The default mailbox over a <see cref="CompactMessageQueue"/>.</summary>
public sealed class CompactMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<CompactMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CompactMessageQueue();
}

/// <summary>The mailbox of actors with a stash (which puts messages back at the front), over a <see cref="CompactMessageQueue"/>.</summary>
public sealed class CompactDequeMailbox(Settings settings, Config config)
    : MailboxType(settings, config), IProducesMessageQueue<CompactDequeMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CompactDequeMessageQueue();
}

public sealed class CompactDequeMessageQueue() : DequeWrapperMessageQueue(new CompactMessageQueue()), IUnboundedDequeBasedMessageQueueSemantics;

/// <summary>The HOCON that makes both the node's default mailboxes.</summary>
public static class CompactMailboxConfig
{
    public const string Hocon = """
        akka.actor.default-mailbox.mailbox-type = "Portal.Actors.Mailboxes.CompactMailbox, Portal.Actors"
        akka.actor.mailbox.unbounded-deque-based.mailbox-type = "Portal.Actors.Mailboxes.CompactDequeMailbox, Portal.Actors"
        """;
}
