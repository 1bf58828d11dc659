using Akka.Actor;

namespace Portal.Actors.Nats;

/// <summary>
/// Turns the gateway's link events (raised on NATS threads) into <see cref="NatsLinkChanged"/> on
/// the event stream, in order, once per real change.
/// </summary>
public sealed class NatsLinkMonitor : ReceiveActor
{
    private readonly INatsGateway _gateway;
    private readonly Action<NatsLink> _onChange;
    private NatsLink _link;

    public NatsLinkMonitor(INatsGateway gateway)
    {
        _gateway = gateway;
        var self = Self;
        _onChange = link => self.Tell(new NatsLinkChanged(link));
        _link = gateway.Link;

        Receive<NatsLinkChanged>(changed =>
        {
            if (changed.Link == _link)
            {
                return;
            }

            _link = changed.Link;
            Context.System.EventStream.Publish(changed);
        });
    }

    public static Props Props(INatsGateway gateway) => Akka.Actor.Props.Create(() => new NatsLinkMonitor(gateway));

    protected override void PreStart()
    {
        _gateway.LinkChanged += _onChange;

        // A change between the constructor's read and the subscription above is not lost.
        _onChange(_gateway.Link);
    }

    protected override void PostStop() => _gateway.LinkChanged -= _onChange;
}
