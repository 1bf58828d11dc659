namespace Portal.Actors.Nats;

/// <summary>Published on the actor system's event stream whenever the node's NATS link changes.</summary>
public sealed record NatsLinkChanged(NatsLink Link);

/// <summary>Thrown by a NATS-fed actor when the link drops, so that its supervisor restarts it with backoff.</summary>
public sealed class NatsLinkLostException(string message) : Exception(message);
