using Akka.Actor;

namespace Portal.Actors.Connections;

/// <summary>
/// Which connection actors of this node hold a live session, and of which token (by hash). A token
/// can be live in more than one actor: a socket that already had a session of its own resumes a token
/// that is still open on another socket, and gets a fresh, verified session of it. Each actor holds at
/// most one session; it tells the manager when one begins and ends, in order.
/// </summary>
internal sealed class SessionHolders
{
    private readonly Dictionary<IActorRef, string> _tokenOf = [];

    // In the order the sessions began: the newest is the one a resume reattaches.
    private readonly Dictionary<string, List<IActorRef>> _holdersOf = new(StringComparer.Ordinal);

    /// <summary>Every actor with a live session, each once.</summary>
    public IEnumerable<IActorRef> Actors => _tokenOf.Keys;

    public bool HasSession(IActorRef actor) => _tokenOf.ContainsKey(actor);

    public string? TokenOf(IActorRef actor) => _tokenOf.GetValueOrDefault(actor);

    /// <summary>The newest session of <paramref name="tokenHash"/> on this node, if any.</summary>
    public IActorRef? Newest(string tokenHash) =>
        _holdersOf.TryGetValue(tokenHash, out var holders) ? holders[^1] : null;

    /// <summary>Every actor holding a session of <paramref name="tokenHash"/> (a copy: safe to act on).</summary>
    public IReadOnlyList<IActorRef> HoldersOf(string tokenHash) =>
        _holdersOf.TryGetValue(tokenHash, out var holders) ? [.. holders] : [];

    public void Began(IActorRef actor, string tokenHash)
    {
        Forget(actor);
        _tokenOf[actor] = tokenHash;
        if (_holdersOf.TryGetValue(tokenHash, out var holders))
        {
            holders.Add(actor);
        }
        else
        {
            _holdersOf[tokenHash] = [actor];
        }
    }

    public void Ended(IActorRef actor, string tokenHash)
    {
        if (TokenOf(actor) == tokenHash)
        {
            Forget(actor);
        }
    }

    /// <summary>The actor's session is gone (ended, or the actor stopped).</summary>
    public void Forget(IActorRef actor)
    {
        if (!_tokenOf.Remove(actor, out var tokenHash))
        {
            return;
        }

        var holders = _holdersOf[tokenHash];
        holders.Remove(actor);
        if (holders.Count == 0)
        {
            _holdersOf.Remove(tokenHash);
        }
    }
}
