using Akka.Actor;
using Akka.TestKit;
using Portal.Actors.Tests.Fakes;
using Portal.Actors.Topics;
using Portal.Protocol;
using Portal.Protocol.Browser;
using static Portal.Actors.Tests.Fakes.SpecData;
using static Portal.Actors.Topics.TopicProtocol;

namespace Portal.Actors.Tests;

/// <summary>A topic on the shared history (JetStream, here <see cref="FakeHistoryStream"/>): stream seqs, replays from the stream, outages.</summary>
public sealed class TopicHistorySpecs : PortalSpec
{
    private const string PatientsOf1 = "customer.broadcast.patients.tenant-001";
    private const string DashboardOf1 = "customer.broadcast.dashboard.tenant-001";

    private readonly FakeHistoryStream _stream = new();
    private readonly IActorRef _registry;

    public TopicHistorySpecs()
    {
        var gateway = new ProbeNatsGateway(CreateTestProbe("nats").Ref);
        _registry = Sys.ActorOf(TopicRegistry.Props(gateway, new ProbeBrowserPush(CreateTestProbe("browser").Ref), ActorSettings, _stream), "topics");
    }

    [Fact]
    public async Task Topic_must_number_broadcasts_by_their_stream_seq_and_push_the_streams_epoch()
    {
        _stream.Publish(PatientsOf1, Created("p0"));
        _stream.Publish(DashboardOf1, """{"type":"stats","stats":{"patients":1}}""");
        var a = CreateTestProbe("a");

        var joined = await Join(a);

        // A first follow starts after the subject's newest broadcast, a seq of its own.
        Assert.Equal((1L, "2026-12-04T00:00:00.0000000Z", true), (joined.LastSeq, joined.Epoch, joined.Continuous));
        var seq = _stream.Publish(PatientsOf1, Created("p1"));
        var topicEvent = await a.ExpectMsgAsync<TopicEvent>(Wait);
        Assert.Equal(3, seq);
        Assert.Equal(new SeqInfo(3, "2026-12-04T00:00:00.0000000Z"), topicEvent.Push.Second);
    }

    [Fact]
    public async Task Topic_must_replay_from_the_stream_what_is_older_than_its_window_once_for_every_resume_after_the_same_seq()
    {
        var before = _stream.Publish(PatientsOf1, Created("p1"));
        _stream.Publish(PatientsOf1, Created("p2"));
        _stream.Publish(PatientsOf1, Created("p3"));
        var a = CreateTestProbe("a");
        await Join(a);
        _stream.Publish(PatientsOf1, Created("p4"));
        await a.ExpectMsgAsync<TopicEvent>(Wait);

        // Two resumes from the other node's seq: one read of the stream for both.
        var (r1, r2) = (CreateTestProbe("r1"), CreateTestProbe("r2"));
        var topic = a.LastSender;
        topic.Tell(new Replay(before), r1.Ref);
        topic.Tell(new Replay(before), r2.Ref);

        foreach (var resumer in new[] { r1, r2 })
        {
            var replayed = await resumer.ExpectMsgAsync<Replayed>(Wait);
            Assert.True(replayed.Complete);
            Assert.Equal(["p2", "p3", "p4"], replayed.Events.Select(e => e.PayloadOf().Text("id")));
        }

        Assert.Equal(1, _stream.Reads);

        // Now the window reaches back that far: a third resume needs no read.
        topic.Tell(new Replay(before), r1.Ref);
        Assert.True((await r1.ExpectMsgAsync<Replayed>(Wait)).Complete);
        Assert.Equal(1, _stream.Reads);
    }

    [Fact]
    public async Task Topic_must_serve_resumes_from_later_seqs_with_a_read_already_out_from_an_earlier_one()
    {
        var first = _stream.Publish(PatientsOf1, Created("p1"));
        var second = _stream.Publish(PatientsOf1, Created("p2"));
        _stream.Publish(PatientsOf1, Created("p3"));
        var a = CreateTestProbe("a");
        await Join(a);
        _stream.Publish(PatientsOf1, Created("p4"));
        await a.ExpectMsgAsync<TopicEvent>(Wait);
        var topic = a.LastSender;
        _stream.HoldReads = true;

        var (r1, r2) = (CreateTestProbe("r1"), CreateTestProbe("r2"));
        topic.Tell(new Replay(first), r1.Ref);
        topic.Tell(new Replay(second), r2.Ref);
        await AwaitConditionAsync(() => Task.FromResult(_stream.Reads == 1), Wait);
        await r2.ExpectNoMsgAsync(Quiet); // waits for the read out from the earlier seq
        _stream.HoldReads = false;

        Assert.Equal(["p2", "p3", "p4"], (await r1.ExpectMsgAsync<Replayed>(Wait)).Events.Select(e => e.PayloadOf().Text("id")));
        var later = await r2.ExpectMsgAsync<Replayed>(Wait);
        Assert.True(later.Complete);
        Assert.Equal(["p3", "p4"], later.Events.Select(e => e.PayloadOf().Text("id")));
        Assert.Equal(1, _stream.Reads);
    }

    [Fact]
    public async Task Topic_must_say_a_replay_is_incomplete_when_the_stream_no_longer_holds_the_seq_it_starts_after()
    {
        var before = _stream.Publish(PatientsOf1, Created("p1"));
        _stream.Publish(PatientsOf1, Created("p2"));
        var a = CreateTestProbe("a");
        await Join(a);
        _stream.Drop(before);

        a.LastSender.Tell(new Replay(before), a.Ref);

        var replayed = await a.FishForMessageAsync<Replayed>(_ => true, Wait);
        Assert.False(replayed.Complete);
        Assert.Empty(replayed.Events);
    }

    [Fact]
    public async Task Topic_must_follow_again_from_its_last_seq_after_an_outage_so_its_subscribers_miss_nothing_and_get_no_gap()
    {
        var a = CreateTestProbe("a");
        await Join(a);
        _stream.Publish(PatientsOf1, Created("p1"));
        await a.ExpectMsgAsync<TopicEvent>(Wait);

        _stream.BreakFollows();
        _stream.Publish(PatientsOf1, Created("p2")); // while the topic's follow is down
        _stream.Publish(PatientsOf1, Created("p3"));

        var ids = new List<string?>();
        for (var i = 0; i < 2; i++)
        {
            ids.Add((await a.ExpectMsgAsync<TopicEvent>(Wait)).PayloadOf().Text("id"));
        }

        Assert.Equal(["p2", "p3"], ids);
        Assert.Equal(2, _stream.FollowsMade);
        await a.ExpectNoMsgAsync(Quiet); // no Gap, no second Joined: nothing for the feeds to do
    }

    [Fact]
    public async Task Topic_must_tell_its_subscribers_a_gap_when_the_stream_lost_what_came_during_an_outage()
    {
        var a = CreateTestProbe("a");
        await Join(a);
        var last = _stream.Publish(PatientsOf1, Created("p1"));
        await a.ExpectMsgAsync<TopicEvent>(Wait);

        _stream.BreakFollows();
        _stream.Drop(last); // the limits dropped it meanwhile: the gap cannot be proven complete
        _stream.Publish(PatientsOf1, Created("p2"));

        var gap = await a.ExpectMsgAsync<Gap>(Wait);
        Assert.Equal(PatientsOf1, gap.Subject);
        _stream.Publish(PatientsOf1, Created("p3"));
        Assert.Equal("p3", (await a.ExpectMsgAsync<TopicEvent>(Wait)).PayloadOf().Text("id"));
    }

    [Fact]
    public async Task Topic_must_tell_a_gap_only_to_subscribers_joined_before_it_and_Joined_to_one_that_came_meanwhile()
    {
        var a = CreateTestProbe("a");
        await Join(a);
        var last = _stream.Publish(PatientsOf1, Created("p1"));
        await a.ExpectMsgAsync<TopicEvent>(Wait);

        _stream.RefuseFollows = true;
        var attempts = _stream.FollowAttempts;
        _stream.BreakFollows();
        await AwaitConditionAsync(() => Task.FromResult(_stream.FollowAttempts > attempts), Wait); // it noticed, and is refused
        var b = CreateTestProbe("b");
        _registry.Tell(new Join(Feed.Patients, Tenant1, b.Ref));
        await b.ExpectNoMsgAsync(Quiet); // not reading: nothing to join yet
        _stream.Drop(last);
        _stream.RefuseFollows = false;

        Assert.Equal(PatientsOf1, (await a.ExpectMsgAsync<Gap>(Wait)).Subject);
        await b.ExpectMsgAsync<Joined>(Wait);
        await b.ExpectNoMsgAsync(Quiet);
    }

    private async Task<Joined> Join(TestProbe subscriber)
    {
        _registry.Tell(new Join(Feed.Patients, Tenant1, subscriber.Ref));
        return await subscriber.ExpectMsgAsync<Joined>(Wait);
    }

    private static string Created(string id) => $$"""{"responseType":"created","patient":{"id":"{{id}}"},"tenantId":"tenant-001"}""";
}
