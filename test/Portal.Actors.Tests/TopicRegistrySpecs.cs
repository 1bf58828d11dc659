using Akka.Actor;
using Akka.TestKit;
using Portal.Actors.Tests.Fakes;
using Portal.Actors.Topics;
using Portal.Protocol;
using Portal.Protocol.Browser;
using static Portal.Actors.Tests.Fakes.ProbeNatsGateway;
using static Portal.Actors.Tests.Fakes.SpecData;
using static Portal.Actors.Topics.TopicProtocol;

namespace Portal.Actors.Tests;

public sealed class TopicRegistrySpecs : PortalSpec
{
    private const string PatientsOf1 = "customer.broadcast.patients.tenant-001";
    private const string Created = """{"responseType":"created","patient":{"id":"p1","firstName":"Ada"},"tenantId":"tenant-001"}""";

    private readonly TestProbe _nats;
    private readonly ProbeNatsGateway _gateway;
    private readonly IActorRef _registry;

    public TopicRegistrySpecs()
    {
        _nats = CreateTestProbe("nats");
        _gateway = new ProbeNatsGateway(_nats.Ref);
        _registry = Sys.ActorOf(TopicRegistry.Props(_gateway, new ProbeBrowserPush(CreateTestProbe("browser").Ref), ActorSettings), "topics");
    }

    [Fact]
    public async Task TopicRegistry_must_share_one_NATS_subscription_between_two_sockets_of_a_tenant()
    {
        var (a, b) = (CreateTestProbe("a"), CreateTestProbe("b"));
        _registry.Tell(new Join(Feed.Patients, Tenant1, a.Ref));
        _registry.Tell(new Join(Feed.Patients, Tenant1, b.Ref));

        var subscribe = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        Assert.Equal(PatientsOf1, subscribe.Subject);

        // Joined means "the server holds the subscription": not before the subscribe completes.
        await a.ExpectNoMsgAsync(Quiet);
        await b.ExpectNoMsgAsync(TimeSpan.Zero);

        subscribe.Accept(_nats.Ref);
        var joinedA = await a.ExpectMsgAsync<Joined>(Wait);
        Assert.Equal((PatientsOf1, 1L, false), (joinedA.Subject, joinedA.LastSeq, joinedA.Continuous)); // the seq the topic starts from
        Assert.Equal(joinedA, await b.ExpectMsgAsync<Joined>(Wait));

        await _nats.ExpectNoMsgAsync(Quiet);
        Assert.Equal(1, _gateway.SubscribeCount(PatientsOf1));
        Assert.Equal(new Stats(1, 2), await _registry.Ask<Stats>(GetStats.Instance, Wait));
    }

    [Fact]
    public async Task TopicRegistry_must_answer_a_late_joiner_at_once_with_the_last_seq()
    {
        var (a, late) = (CreateTestProbe("a"), CreateTestProbe("late"));
        var subscribe = await JoinAndAccept(Feed.Patients, a);
        subscribe.Deliver(Created);
        await a.ExpectMsgAsync<TopicEvent>(Wait);

        _registry.Tell(new Join(Feed.Patients, Tenant1, late.Ref));

        var joined = await late.ExpectMsgAsync<Joined>(Wait);
        Assert.Equal((PatientsOf1, 2L), (joined.Subject, joined.LastSeq));
        await _nats.ExpectNoMsgAsync(Quiet);
        Assert.Equal(1, _gateway.SubscribeCount(PatientsOf1));
    }

    [Fact]
    public async Task TopicRegistry_must_parse_a_broadcast_once_and_number_it_per_subject()
    {
        var (a, b) = (CreateTestProbe("a"), CreateTestProbe("b"));
        var subscribe = await JoinAndAccept(Feed.Patients, a, b);

        subscribe.Deliver(Created);
        subscribe.Deliver("""{"responseType":"updated","patient":{"id":"p1","firstName":"Ada B."},"tenantId":"tenant-001"}""");

        var first = await a.ExpectMsgAsync<TopicEvent>(Wait);
        Assert.Same(first, await b.ExpectMsgAsync<TopicEvent>(Wait));
        Assert.Equal(PatientsOf1, first.Subject);
        Assert.Equal(2, first.Seq);
        Assert.Equal(EventNames.PatientsNew, first.EventName);

        // Prepared once with its seq, so the host encodes it once for every socket.
        Assert.Equal(2, ((SeqInfo)first.Push.Second!).Seq);

        // The inner object, not the envelope.
        Assert.Equal("p1", first.PayloadOf().Text("id"));
        Assert.False(first.PayloadOf().TryGetProperty("responseType", out _));

        var second = await a.ExpectMsgAsync<TopicEvent>(Wait);
        Assert.Same(second, await b.ExpectMsgAsync<TopicEvent>(Wait));
        Assert.Equal(3, second.Seq);
        Assert.Equal(EventNames.PatientsUpdated, second.EventName);
        Assert.Equal("Ada B.", second.PayloadOf().Text("firstName"));
    }

    [Fact]
    public async Task TopicRegistry_must_keep_tenants_apart()
    {
        var (of1, of2) = (CreateTestProbe("of1"), CreateTestProbe("of2"));
        var subscribe1 = await JoinAndAccept(Feed.Patients, of1);

        _registry.Tell(new Join(Feed.Patients, Tenant2, of2.Ref));
        var subscribe2 = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        Assert.Equal("customer.broadcast.patients.tenant-002", subscribe2.Subject);
        subscribe2.Accept(_nats.Ref);
        await of2.ExpectMsgAsync<Joined>(j => j.Subject == subscribe2.Subject, Wait);

        subscribe1.Deliver(Created);

        Assert.Equal(PatientsOf1, (await of1.ExpectMsgAsync<TopicEvent>(Wait)).Subject);
        await of2.ExpectNoMsgAsync(Quiet);
        Assert.Equal(new Stats(2, 2), await _registry.Ask<Stats>(GetStats.Instance, Wait));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""["responseType","created"]""")]
    [InlineData("""{"responseType":"deleted","patient":{"id":"p1"},"tenantId":"tenant-001"}""")]
    [InlineData("""{"patient":{"id":"p1"},"tenantId":"tenant-001"}""")]
    [InlineData("""{"responseType":"created","tenantId":"tenant-001"}""")]
    [InlineData("""{"responseType":"created","patient":"p1","tenantId":"tenant-001"}""")]
    [InlineData("""{"responseType":"created","patient":{"id":"p1"},"tenantId":"tenant-002"}""")]
    [InlineData("""{"responseType":"created","patient":{"id":"p1"},"tenantId":null}""")]
    public async Task TopicRegistry_must_drop_a_malformed_broadcast_without_consuming_a_seq(string malformed)
    {
        var a = CreateTestProbe("a");
        var subscribe = await JoinAndAccept(Feed.Patients, a);

        subscribe.Deliver(malformed);
        subscribe.Deliver(Created);

        // The first thing that arrives is the good one, and it is the next number after the topic's start.
        var topicEvent = await a.ExpectMsgAsync<TopicEvent>(Wait);
        Assert.Equal(2, topicEvent.Seq);
        Assert.Equal("p1", topicEvent.PayloadOf().Text("id"));
    }

    [Fact]
    public async Task TopicRegistry_must_accept_a_patients_broadcast_without_an_envelope_tenantId()
    {
        var a = CreateTestProbe("a");
        var subscribe = await JoinAndAccept(Feed.Patients, a);

        subscribe.Deliver("""{"responseType":"created","patient":{"id":"p9"}}""");

        Assert.Equal("p9", (await a.ExpectMsgAsync<TopicEvent>(Wait)).PayloadOf().Text("id"));
    }

    [Fact]
    public async Task TopicRegistry_must_keep_feeding_the_others_when_one_subscriber_leaves()
    {
        var (a, b) = (CreateTestProbe("a"), CreateTestProbe("b"));
        var subscribe = await JoinAndAccept(Feed.Patients, a, b);

        _registry.Tell(new Leave(Feed.Patients, Tenant1, a.Ref));

        // Once the registry has handled the leave, the topic has its Drop queued ahead of anything delivered next.
        Assert.Equal(new Stats(1, 1), await _registry.Ask<Stats>(GetStats.Instance, Wait));
        subscribe.Deliver(Created);

        Assert.Equal(2, (await b.ExpectMsgAsync<TopicEvent>(Wait)).Seq);
        await a.ExpectNoMsgAsync(Quiet);
        await _nats.ExpectNoMsgAsync(TimeSpan.Zero); // still subscribed
    }

    [Fact]
    public async Task TopicRegistry_must_unsubscribe_from_NATS_when_the_last_subscriber_leaves()
    {
        var (a, b) = (CreateTestProbe("a"), CreateTestProbe("b"));
        await JoinAndAccept(Feed.Patients, a, b);

        _registry.Tell(new Leave(Feed.Patients, Tenant1, a.Ref));
        _registry.Tell(new Leave(Feed.Patients, Tenant1, b.Ref));

        Assert.Equal(new Unsubscribed(PatientsOf1), await _nats.ExpectMsgAsync<Unsubscribed>(Wait));
        Assert.Equal(new Stats(0, 0), await _registry.Ask<Stats>(GetStats.Instance, Wait));
    }

    [Fact]
    public async Task TopicRegistry_must_unsubscribe_from_NATS_when_the_last_subscriber_dies()
    {
        var a = CreateTestProbe("a");
        await JoinAndAccept(Feed.Patients, a);

        Sys.Stop(a.Ref);

        Assert.Equal(new Unsubscribed(PatientsOf1), await _nats.ExpectMsgAsync<Unsubscribed>(Wait));
        await AwaitAssertAsync(
            async () => Assert.Equal(new Stats(0, 0), await _registry.Ask<Stats>(GetStats.Instance, Wait)),
            Wait);
    }

    [Fact]
    public async Task TopicRegistry_must_subscribe_afresh_when_a_feed_is_joined_again_after_its_topic_stopped()
    {
        var a = CreateTestProbe("a");
        await JoinAndAccept(Feed.Patients, a);
        _registry.Tell(new Leave(Feed.Patients, Tenant1, a.Ref));
        await _nats.ExpectMsgAsync<Unsubscribed>(Wait);

        var again = await JoinAndAccept(Feed.Patients, a);
        again.Deliver(Created);

        // A new topic goes on from the node's counter: never a seq the earlier topic of the subject gave.
        Assert.Equal(3, (await a.ExpectMsgAsync<TopicEvent>(Wait)).Seq);
        Assert.Equal(2, _gateway.SubscribeCount(PatientsOf1));
    }

    [Fact]
    public async Task TopicRegistry_must_dispose_a_subscription_that_completes_after_its_last_subscriber_left()
    {
        var a = CreateTestProbe("a");
        _registry.Tell(new Join(Feed.Patients, Tenant1, a.Ref));
        var subscribe = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);

        _registry.Tell(new Leave(Feed.Patients, Tenant1, a.Ref));
        Assert.Equal(new Stats(0, 0), await _registry.Ask<Stats>(GetStats.Instance, Wait));

        // NATS answers only now: nobody wants the subscription any more, so it must not be left open.
        subscribe.Accept(_nats.Ref);

        Assert.Equal(new Unsubscribed(PatientsOf1), await _nats.ExpectMsgAsync<Unsubscribed>(Wait));
        await a.ExpectNoMsgAsync(Quiet);
    }

    [Theory]
    [InlineData(Feed.Dashboard, """{"type":"stats","stats":{"patients":12}}""", EventNames.DashboardStatsUpdate, "patients")]
    [InlineData(Feed.Dashboard, """{"type":"activity","activity":{"what":"login"}}""", EventNames.DashboardActivityNew, "what")]
    [InlineData(Feed.Claims, """{"type":"updated","claim":{"id":"c7","status":"paid"}}""", EventNames.ClaimsUpdated, "status")]
    [InlineData(Feed.Patients, """{"responseType":"updated","patient":{"id":"p1"},"tenantId":"tenant-001"}""", EventNames.PatientsUpdated, "id")]
    public async Task TopicRegistry_must_map_each_broadcast_type_to_its_push(Feed feed, string broadcast, string eventName, string innerField)
    {
        var a = CreateTestProbe("a");
        var subscribe = await JoinAndAccept(feed, a);
        Assert.Equal(Subjects.Broadcast(feed, Tenant1), subscribe.Subject);

        subscribe.Deliver(broadcast);

        var topicEvent = await a.ExpectMsgAsync<TopicEvent>(Wait);
        Assert.Equal(eventName, topicEvent.EventName);
        Assert.True(topicEvent.PayloadOf().TryGetProperty(innerField, out _), $"the pushed object is the inner one, with '{innerField}'");
        Assert.False(topicEvent.PayloadOf().TryGetProperty("type", out _));
    }

    [Theory]
    [InlineData(Feed.Dashboard, """{"type":"updated","claim":{"id":"c7"}}""")]
    [InlineData(Feed.Dashboard, """{"type":"stats","activity":{"what":"login"}}""")]
    [InlineData(Feed.Claims, """{"type":"stats","stats":{"patients":1}}""")]
    [InlineData(Feed.Claims, """{"type":"updated"}""")]
    public async Task TopicRegistry_must_drop_a_broadcast_of_the_wrong_shape_for_its_feed(Feed feed, string malformed)
    {
        var a = CreateTestProbe("a");
        var subscribe = await JoinAndAccept(feed, a);

        subscribe.Deliver(malformed);

        await a.ExpectNoMsgAsync(Quiet);
    }

    /// <summary>Joins every probe to the feed of tenant-001, accepts the one subscribe and waits for every Joined.</summary>
    private async Task<SubscribeRequested> JoinAndAccept(Feed feed, params TestProbe[] subscribers)
    {
        foreach (var subscriber in subscribers)
        {
            _registry.Tell(new Join(feed, Tenant1, subscriber.Ref));
        }

        var subscribe = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        subscribe.Accept(_nats.Ref);
        foreach (var subscriber in subscribers)
        {
            await subscriber.ExpectMsgAsync<Joined>(j => j.Subject == subscribe.Subject, Wait);
        }

        return subscribe;
    }
}
