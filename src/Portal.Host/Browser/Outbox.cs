using Microsoft.AspNetCore.SignalR;

namespace Portal.Host.Browser;

/// <summary>
/// The ordered, bounded outbound queue of one browser socket. Pushes are written straight to the
/// socket on the sender's thread while it takes them at once (the usual case: SignalR copies the
/// bytes into the connection's pipe); when a write has to wait, later pushes queue behind it and the
/// write's continuation sends them, in order. One writer at a time, no parked task per idle socket.
/// A full queue means the browser cannot keep up.
/// </summary>
internal sealed class Outbox(HubConnectionContext connection, int capacity, Action<Outbox, Exception> writeFailed)
{
    private readonly Queue<SerializedHubMessage> _queue = new();
    private readonly Lock _gate = new();
    private bool _writing;
    private bool _completed;
    private bool _closeAfterQueued;
    private bool _gone;

    public enum Outcome
    {
        Queued,
        Full,
        Closed,
    }

    public string ConnectionId => connection.ConnectionId;

    /// <summary>The socket itself, for a last word past the queue.</summary>
    public HubConnectionContext Connection => connection;

    /// <summary>Queues a push and, unless a write is already under way, writes it now.</summary>
    public Outcome TryEnqueue(SerializedHubMessage push)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return Outcome.Closed;
            }

            if (_queue.Count >= capacity)
            {
                return Outcome.Full;
            }

            _queue.Enqueue(push);
            if (_writing)
            {
                return Outcome.Queued;
            }

            _writing = true;
        }

        WriteQueued();
        return Outcome.Queued;
    }

    /// <summary>No more pushes; true for the call that closed the queue.</summary>
    public bool Complete()
    {
        lock (_gate)
        {
            var wasOpen = !_completed;
            _completed = true;
            return wasOpen;
        }
    }

    /// <summary>After what is queued, close the socket.</summary>
    public void CloseAfterQueued()
    {
        bool idle;
        lock (_gate)
        {
            _completed = true;
            _closeAfterQueued = true;
            idle = !_writing && !_gone;
        }

        if (idle)
        {
            connection.Abort();
        }
    }

    /// <summary>The socket has disconnected: what is still queued is not worth sending.</summary>
    public void MarkGone()
    {
        lock (_gate)
        {
            _gone = true;
            _completed = true;
            _queue.Clear();
        }
    }

    public void Abort() => connection.Abort();

    private void WriteQueued()
    {
        while (TryTakeNext(out var push))
        {
            ValueTask write;
            try
            {
                write = connection.WriteAsync(push);
            }
            catch (Exception e)
            {
                Failed(e);
                return;
            }

            if (!write.IsCompletedSuccessfully)
            {
                _ = WriteQueuedAfterAsync(write);
                return;
            }

            write.GetAwaiter().GetResult(); // a ValueTask is consumed once, even when already done
        }
    }

    private async Task WriteQueuedAfterAsync(ValueTask pending)
    {
        try
        {
            await pending;
        }
        catch (Exception e)
        {
            Failed(e);
            return;
        }

        WriteQueued();
    }

    private bool TryTakeNext(out SerializedHubMessage push)
    {
        bool close;
        lock (_gate)
        {
            if (!_gone && _queue.TryDequeue(out push!))
            {
                return true;
            }

            _writing = false;
            close = _closeAfterQueued && !_gone;
        }

        push = null!;

        if (close)
        {
            connection.Abort();
        }

        return false;
    }

    private void Failed(Exception error)
    {
        MarkGone();
        lock (_gate)
        {
            _writing = false;
        }

        writeFailed(this, error);
    }
}
