using Akka.Actor;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tests.Fakes;
using Portal.Protocol;
using static Portal.Actors.Tests.Fakes.SpecData;

namespace Portal.Actors.Tests;

/// <summary>The stand-in child of the connection actor's specs behaves as a feed does where those specs look.</summary>
public sealed class ForwardingChildSpecs : PortalSpec
{
    [Fact]
    public async Task ForwardingChild_must_forward_a_cancel_and_then_stop_like_a_feed()
    {
        var probe = CreateTestProbe("children");
        var child = Sys.ActorOf(ForwardingChild.Props("Patients", "spec", probe.Ref));
        await probe.ExpectMsgAsync<ForwardingChild.Started>(Wait);
        var cancel = new SubscriptionActor.Cancel(ErrorCodes.Forbidden, "The tenant changed.");

        child.Tell(cancel);

        Assert.Same(cancel, await probe.ExpectMsgAsync<SubscriptionActor.Cancel>(Wait));
        Assert.Equal(new ForwardingChild.Stopped("Patients", child), await probe.ExpectMsgAsync<ForwardingChild.Stopped>(Wait));
    }

    [Fact]
    public async Task ForwardingChild_must_forward_anything_else_and_keep_running()
    {
        var probe = CreateTestProbe("children");
        var child = Sys.ActorOf(ForwardingChild.Props("Patients", "spec", probe.Ref));
        await probe.ExpectMsgAsync<ForwardingChild.Started>(Wait);

        child.Tell(new SubscriptionActor.Refresh("req-8"));

        Assert.Equal("req-8", (await probe.ExpectMsgAsync<SubscriptionActor.Refresh>(Wait)).RequestId);
        await probe.ExpectNoMsgAsync(Quiet);
    }
}
