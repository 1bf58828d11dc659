using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace Portal.Host.Browser;

/// <summary>
/// The ordered, bounded queue of one browser socket, drained by one pump so pushes leave in the
/// order the actors sent them. A full queue means the browser cannot keep up.
/// </summary>
internal sealed class Outbox(HubConnectionContext connection, int capacity)
{
    // Unbounded and single-reader, so writers and the pump never take a lock (a bounded channel locks
    // on every write and read, and the actors' threads and the pump fought over it under fan-out);
    // the bound is kept by counting.
    private readonly Channel<SerializedHubMessage> _queue = Channel.CreateUnbounded<SerializedHubMessage>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
    });

    private readonly CancellationTokenSource _gone = new();
    private int _queued;
    private int _closeRequested;

    public string ConnectionId => connection.ConnectionId;

    /// <summary>The socket itself: pushes are written to it as already-serialised hub messages.</summary>
    public HubConnectionContext Connection => connection;

    /// <summary>Set when the pump has finished; awaited on unregister so nothing is sent after.</summary>
    public Task Pump { get; set; } = Task.CompletedTask;

    /// <summary>Queues a push; false when the queue is full or already closed.</summary>
    public bool TryEnqueue(SerializedHubMessage push)
    {
        if (Interlocked.Increment(ref _queued) > capacity || !_queue.Writer.TryWrite(push))
        {
            Interlocked.Decrement(ref _queued);
            return false;
        }

        return true;
    }

    /// <summary>Waits for pushes; false once the queue is completed and empty.</summary>
    public ValueTask<bool> WaitToReadAsync() => _queue.Reader.WaitToReadAsync(Gone);

    /// <summary>Takes the next queued push, if any.</summary>
    public bool TryDequeue(out SerializedHubMessage push)
    {
        if (_queue.Reader.TryRead(out push!))
        {
            Interlocked.Decrement(ref _queued);
            return true;
        }

        return false;
    }

    /// <summary>No more pushes; the pump sends what is queued and stops.</summary>
    public bool Complete() => _queue.Writer.TryComplete();

    /// <summary>After what is queued, close the socket.</summary>
    public void CloseAfterQueued()
    {
        Interlocked.Exchange(ref _closeRequested, 1);
        Complete();
    }

    public bool CloseRequested => Volatile.Read(ref _closeRequested) == 1;

    /// <summary>Cancelled when the socket has disconnected: what is still queued is not worth sending.</summary>
    public CancellationToken Gone => _gone.Token;

    public void MarkGone()
    {
        Complete();
        _gone.Cancel();
    }

    public void Abort() => connection.Abort();
}
