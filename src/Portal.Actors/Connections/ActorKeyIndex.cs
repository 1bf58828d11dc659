using Akka.Actor;

namespace Portal.Actors.Connections;

/// <summary>
/// Keys (connection ids) to the actor that holds each, with the reverse kept as
/// well: an actor's keys are found in O(its keys), not by a scan of every socket on the node. An actor
/// holds one key almost always (two while a resumed session's old socket is still being moved away).
/// </summary>
internal sealed class ActorKeyIndex
{
    private readonly Dictionary<string, IActorRef> _actorOf = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, List<string>> _keysOf = [];

    public int Count => _actorOf.Count;

    /// <summary>Every actor holding at least one key, each once.</summary>
    public IEnumerable<IActorRef> Actors => _keysOf.Keys;

    public bool ContainsKey(string key) => _actorOf.ContainsKey(key);

    public bool TryGetValue(string key, out IActorRef actor) => _actorOf.TryGetValue(key, out actor!);

    /// <summary>Whether <paramref name="actor"/> holds any key.</summary>
    public bool Holds(IActorRef actor) => _keysOf.ContainsKey(actor);

    /// <summary>Maps <paramref name="key"/> to <paramref name="actor"/>, taking it from whichever actor held it.</summary>
    public void Set(string key, IActorRef actor)
    {
        if (_actorOf.TryGetValue(key, out var previous))
        {
            if (previous.Equals(actor))
            {
                return;
            }

            Unlink(previous, key);
        }

        _actorOf[key] = actor;
        if (_keysOf.TryGetValue(actor, out var keys))
        {
            keys.Add(key);
        }
        else
        {
            _keysOf[actor] = [key];
        }
    }

    public bool Remove(string key, out IActorRef actor)
    {
        if (!_actorOf.Remove(key, out actor!))
        {
            return false;
        }

        Unlink(actor, key);
        return true;
    }

    /// <summary>Drops every key <paramref name="actor"/> holds (it stopped) and returns them.</summary>
    public IReadOnlyList<string> RemoveActor(IActorRef actor)
    {
        if (!_keysOf.Remove(actor, out var keys))
        {
            return [];
        }

        foreach (var key in keys)
        {
            _actorOf.Remove(key);
        }

        return keys;
    }

    private void Unlink(IActorRef actor, string key)
    {
        var keys = _keysOf[actor];
        keys.Remove(key);
        if (keys.Count == 0)
        {
            _keysOf.Remove(actor);
        }
    }
}
