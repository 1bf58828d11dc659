using Akka.Actor;
using Portal.Actors.Browser;
using Portal.Actors.History;
using Portal.Actors.Nats;

namespace Portal.Actors.Connections;

/// <summary>What every connection actor of a node shares.</summary>
public sealed record ConnectionDependencies(
    INatsGateway Nats,
    IBrowserPush Push,
    IActorRef ReplyRouter,
    RevokedTokens Revoked,
    IConnectionChildren Children,
    PortalActorSettings Settings,
    AbuseLimits? Limits = null,
    IBroadcastHistory? History = null)
{
    /// <summary>The node's abuse limits; a node without configured ones uses the defaults.</summary>
    public AbuseLimits Limits { get; init; } = Limits ?? new AbuseLimits(Settings.RateLimits);

    /// <summary>The node's replay history (the one its topics read): its epoch goes into every resume's answer.</summary>
    public IBroadcastHistory History { get; init; } = History ?? new NodeMemoryHistory();
}
