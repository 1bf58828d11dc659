using Akka.Actor;
using Akka.TestKit;
using Portal.Actors.Nats;
using Portal.Actors.Tests.Fakes;
using static Portal.Actors.Tests.Fakes.SpecData;

namespace Portal.Actors.Tests;

public sealed class NatsLinkMonitorSpecs : PortalSpec
{
    private readonly TestProbe _listener;
    private readonly ProbeNatsGateway _gateway;

    public NatsLinkMonitorSpecs()
    {
        _listener = CreateTestProbe("listener");
        Sys.EventStream.Subscribe(_listener.Ref, typeof(NatsLinkChanged));
        _gateway = new ProbeNatsGateway(CreateTestProbe("nats").Ref);
    }

    [Fact]
    public async Task NatsLinkMonitor_must_publish_each_change_of_the_link_on_the_event_stream()
    {
        await StartMonitor();

        _gateway.SetLink(NatsLink.Down);
        Assert.Equal(new NatsLinkChanged(NatsLink.Down), await _listener.ExpectMsgAsync<NatsLinkChanged>(Wait));

        _gateway.SetLink(NatsLink.Up);
        Assert.Equal(new NatsLinkChanged(NatsLink.Up), await _listener.ExpectMsgAsync<NatsLinkChanged>(Wait));
    }

    [Fact]
    public async Task NatsLinkMonitor_must_publish_nothing_for_the_state_the_link_is_already_in()
    {
        await StartMonitor();

        // Up at start, and Up again: no change.
        _gateway.SetLink(NatsLink.Up);
        await _listener.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task NatsLinkMonitor_must_suppress_duplicate_events_and_keep_their_order()
    {
        await StartMonitor();

        _gateway.SetLink(NatsLink.Down);
        _gateway.SetLink(NatsLink.Down);
        _gateway.SetLink(NatsLink.Up);
        _gateway.SetLink(NatsLink.Up);
        _gateway.SetLink(NatsLink.Down);

        Assert.Equal(NatsLink.Down, (await _listener.ExpectMsgAsync<NatsLinkChanged>(Wait)).Link);
        Assert.Equal(NatsLink.Up, (await _listener.ExpectMsgAsync<NatsLinkChanged>(Wait)).Link);
        Assert.Equal(NatsLink.Down, (await _listener.ExpectMsgAsync<NatsLinkChanged>(Wait)).Link);
        await _listener.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task NatsLinkMonitor_must_stop_listening_to_the_gateway_when_stopped()
    {
        var monitor = await StartMonitor();
        Watch(monitor);
        Sys.Stop(monitor);
        await ExpectTerminatedAsync(monitor, Wait);

        _gateway.SetLink(NatsLink.Down);

        await _listener.ExpectNoMsgAsync(Quiet);
    }

    /// <summary>Starts the monitor and waits until it has run PreStart (it answered a message), so it is listening.</summary>
    private async Task<IActorRef> StartMonitor()
    {
        var monitor = Sys.ActorOf(NatsLinkMonitor.Props(_gateway), "nats-link");
        await monitor.Ask<ActorIdentity>(new Identify(null), Wait);
        return monitor;
    }
}
