using Akka.Actor;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Portal.Actors.Mailboxes;

/// <summary>
/// A FIFO message queue that costs almost nothing while empty. Akka's default queue is a
/// <see cref="System.Collections.Concurrent.ConcurrentQueue{T}"/> whose first segment holds 32
/// envelopes (about 1 KiB) from the start; a node holds a few actors per socket, nearly all idle,
/// so that was a sixth of the portal's memory per socket. This one grows from nothing and takes a
/// short lock per message, uncontended in practice (one sender per message, one consumer).
/// </summary>
public sealed class CompactMessageQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly Queue<Envelope> _queue = new();
    private readonly Lock _gate = new();
    private int _count;

    public bool HasMessages => Volatile.Read(ref _count) > 0;

    public int Count => Volatile.Read(ref _count);

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (_gate)
        {
            _queue.Enqueue(envelope);
            Volatile.Write(ref _count, _queue.Count);
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        lock (_gate)
        {
            if (!_queue.TryDequeue(out envelope))
            {
                return false;
            }

            Volatile.Write(ref _count, _queue.Count);
            return true;
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (TryDequeue(out var envelope))
        {
            deadletters.Enqueue(owner, envelope);
        }
    }
}
