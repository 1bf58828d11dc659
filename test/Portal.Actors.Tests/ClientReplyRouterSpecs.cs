using System.Text;
using Akka.Actor;
using Akka.TestKit;
using Portal.Actors.Nats;
using Portal.Actors.Tests.Fakes;
using Portal.Protocol;
using Portal.Protocol.Ids;
using static Portal.Actors.Nats.ClientReplyRouter;
using static Portal.Actors.Tests.Fakes.ProbeNatsGateway;
using static Portal.Actors.Tests.Fakes.SpecData;

namespace Portal.Actors.Tests;

public sealed class ClientReplyRouterSpecs : PortalSpec
{
    private readonly TestProbe _nats;
    private readonly ProbeNatsGateway _gateway;

    public ClientReplyRouterSpecs()
    {
        _nats = CreateTestProbe("nats");
        _gateway = new ProbeNatsGateway(_nats.Ref);
    }

    [Fact]
    public async Task ClientReplyRouter_must_subscribe_once_to_each_reply_family_wildcard()
    {
        await StartRouter();

        await _nats.ExpectNoMsgAsync(Quiet);
        Assert.Equal(1, _gateway.SubscribeCount(Subjects.AuthResponseWildcard));
        Assert.Equal(1, _gateway.SubscribeCount(Subjects.TenantsResponseWildcard));
    }

    [Fact]
    public async Task ClientReplyRouter_must_report_ready_only_once_both_wildcards_are_subscribed()
    {
        var router = Sys.ActorOf(ClientReplyRouter.Props(_gateway, PortalActorSettings.Default));
        var first = await _nats.ExpectMsgAsync<ProbeNatsGateway.SubscribeRequested>(Wait);
        var second = await _nats.ExpectMsgAsync<ProbeNatsGateway.SubscribeRequested>(Wait);
        Assert.False((await router.Ask<Stats>(GetStats.Instance, Wait)).Ready);

        first.Accept(_nats.Ref);
        await AwaitAssertAsync(async () => Assert.False((await router.Ask<Stats>(GetStats.Instance, Wait)).Ready));
        second.Accept(_nats.Ref);

        await AwaitAssertAsync(async () => Assert.True((await router.Ask<Stats>(GetStats.Instance, Wait)).Ready));
    }

    [Fact]
    public async Task ClientReplyRouter_must_route_an_auth_reply_to_the_owner_of_the_clientId()
    {
        var (router, auth, _) = await StartRouter();
        var (owner, other) = (CreateTestProbe("owner"), CreateTestProbe("other"));
        router.Tell(new Register(Client, owner.Ref));
        router.Tell(new Register(SafeId.Parse<ClientId>("SomeoneElse"), other.Ref));

        auth.Deliver("""{"success":true,"clientId":"x","token":"t"}""", Subjects.AuthResponse(Client));

        var reply = await owner.ExpectMsgAsync<ClientReply>(Wait);
        Assert.Equal(ClientReplyKind.Auth, reply.Kind);
        Assert.False(reply.NoResponders);
        Assert.Equal("""{"success":true,"clientId":"x","token":"t"}""", Encoding.UTF8.GetString(reply.Body.Span));
        await other.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task ClientReplyRouter_must_route_a_tenants_reply_as_the_tenants_kind()
    {
        var (router, _, tenants) = await StartRouter();
        var owner = CreateTestProbe("owner");
        router.Tell(new Register(Client, owner.Ref));

        tenants.Deliver("""{"success":true,"tenants":[]}""", Subjects.TenantsResponse(Client));

        var reply = await owner.ExpectMsgAsync<ClientReply>(Wait);
        Assert.Equal(ClientReplyKind.Tenants, reply.Kind);
        Assert.Equal("""{"success":true,"tenants":[]}""", Encoding.UTF8.GetString(reply.Body.Span));
        Assert.Equal(new Stats(1, 1, 0), (await router.Ask<Stats>(GetStats.Instance, Wait)) with { Ready = false });
    }

    [Fact]
    public async Task ClientReplyRouter_must_pass_the_no_responders_flag_through()
    {
        var (router, _, tenants) = await StartRouter();
        var owner = CreateTestProbe("owner");
        router.Tell(new Register(Client, owner.Ref));

        tenants.OnMessage(new NatsInbound(Subjects.TenantsResponse(Client), ReadOnlyMemory<byte>.Empty, NoResponders: true));

        var reply = await owner.ExpectMsgAsync<ClientReply>(Wait);
        Assert.Equal(ClientReplyKind.Tenants, reply.Kind);
        Assert.True(reply.NoResponders);
    }

    [Theory]
    [InlineData("customer.auth.response.NobodyHasThisId")]
    [InlineData("customer.tenants.response.NobodyHasThisId")]
    [InlineData("customer.auth.response.")]
    [InlineData("customer.other.response.Client0123456789abcdefXY")]
    public async Task ClientReplyRouter_must_drop_and_count_a_reply_nobody_owns(string subject)
    {
        var (router, auth, _) = await StartRouter();
        var owner = CreateTestProbe("owner");
        router.Tell(new Register(Client, owner.Ref));

        auth.Deliver("""{"success":true}""", subject);

        Assert.Equal(new Stats(1, 0, 1), (await router.Ask<Stats>(GetStats.Instance, Wait)) with { Ready = false });
        await owner.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task ClientReplyRouter_must_forget_an_owner_that_unregisters()
    {
        var (router, auth, _) = await StartRouter();
        var owner = CreateTestProbe("owner");
        router.Tell(new Register(Client, owner.Ref));
        router.Tell(new Unregister(Client), owner.Ref);

        auth.Deliver("""{"success":true}""", Subjects.AuthResponse(Client));

        Assert.Equal(new Stats(0, 0, 1), (await router.Ask<Stats>(GetStats.Instance, Wait)) with { Ready = false });
        await owner.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task ClientReplyRouter_must_forget_an_owner_that_stops()
    {
        var (router, auth, _) = await StartRouter();
        var owner = CreateTestProbe("owner");
        router.Tell(new Register(Client, owner.Ref));
        Assert.Equal(1, (await router.Ask<Stats>(GetStats.Instance, Wait)).Clients);

        Sys.Stop(owner.Ref);

        await AwaitAssertAsync(async () => Assert.Equal(0, (await router.Ask<Stats>(GetStats.Instance, Wait)).Clients), Wait);
        auth.Deliver("""{"success":true}""", Subjects.AuthResponse(Client));
        Assert.Equal(new Stats(0, 0, 1), (await router.Ask<Stats>(GetStats.Instance, Wait)) with { Ready = false });
    }

    [Fact]
    public async Task ClientReplyRouter_must_route_to_the_latest_owner_of_a_clientId()
    {
        var (_, auth, old, current) = await StartRouterWithTwoOwners();

        auth.Deliver("""{"success":true}""", Subjects.AuthResponse(Client));

        await current.ExpectMsgAsync<ClientReply>(Wait);
        await old.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task ClientReplyRouter_must_keep_the_new_owner_when_the_old_owner_of_a_clientId_unregisters()
    {
        var (router, auth, old, current) = await StartRouterWithTwoOwners();

        router.Tell(new Unregister(Client), old.Ref);
        auth.Deliver("""{"success":true}""", Subjects.AuthResponse(Client));

        await current.ExpectMsgAsync<ClientReply>(Wait);
        Assert.Equal(new Stats(1, 1, 0), (await router.Ask<Stats>(GetStats.Instance, Wait)) with { Ready = false });
    }

    [Fact]
    public async Task ClientReplyRouter_must_keep_the_new_owner_when_the_old_owner_of_a_clientId_stops()
    {
        var (router, auth, old, current) = await StartRouterWithTwoOwners();

        Sys.Stop(old.Ref);
        await ExpectTerminatedAsync(Watch(old.Ref), Wait);
        auth.Deliver("""{"success":true}""", Subjects.AuthResponse(Client));

        await current.ExpectMsgAsync<ClientReply>(Wait);
        Assert.Equal(1, (await router.Ask<Stats>(GetStats.Instance, Wait)).Clients);
    }

    [Fact]
    public async Task ClientReplyRouter_must_ignore_an_unregister_from_an_actor_that_does_not_own_the_clientId()
    {
        var (router, auth, _) = await StartRouter();
        var (owner, stranger) = (CreateTestProbe("owner"), CreateTestProbe("stranger"));
        router.Tell(new Register(Client, owner.Ref));

        router.Tell(new Unregister(Client), stranger.Ref);
        auth.Deliver("""{"success":true}""", Subjects.AuthResponse(Client));

        await owner.ExpectMsgAsync<ClientReply>(Wait);
    }

    /// <summary>Starts the router; <c>Client</c> is registered by one owner, then by another.</summary>
    private async Task<(IActorRef Router, SubscribeRequested Auth, TestProbe Old, TestProbe Current)> StartRouterWithTwoOwners()
    {
        var (router, auth, _) = await StartRouter();
        var (old, current) = (CreateTestProbe("old"), CreateTestProbe("current"));
        router.Tell(new Register(Client, old.Ref));
        router.Tell(new Register(Client, current.Ref));
        return (router, auth, old, current);
    }

    /// <summary>Starts the router and accepts both of its wildcard subscribes, whichever comes first.</summary>
    private async Task<(IActorRef Router, SubscribeRequested Auth, SubscribeRequested Tenants)> StartRouter()
    {
        var router = Sys.ActorOf(ClientReplyRouter.Props(_gateway, ActorSettings), "replies");
        var first = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        var second = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        var bySubject = new[] { first, second }.ToDictionary(s => s.Subject);
        Assert.Equal([Subjects.AuthResponseWildcard, Subjects.TenantsResponseWildcard], bySubject.Keys.Order());
        first.Accept(_nats.Ref);
        second.Accept(_nats.Ref);
        return (router, bySubject[Subjects.AuthResponseWildcard], bySubject[Subjects.TenantsResponseWildcard]);
    }
}
