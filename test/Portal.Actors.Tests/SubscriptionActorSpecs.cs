using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Portal.Actors.Nats;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tests.Fakes;
using Portal.Protocol;
using Portal.Protocol.Browser;
using static Portal.Actors.Tests.Fakes.ProbeBrowserPush;
using static Portal.Actors.Tests.Fakes.ProbeNatsGateway;
using static Portal.Actors.Tests.Fakes.SpecData;
using static Portal.Actors.Topics.TopicProtocol;

namespace Portal.Actors.Tests;

public sealed class SubscriptionActorSpecs : PortalSpec
{
    private const string ConnectionId = "conn-1";
    private const string RequestId = "req-7";
    private const string PatientsOf1 = "customer.broadcast.patients.tenant-001";
    private const string DashboardOf1 = "customer.broadcast.dashboard.tenant-001";

    private static readonly SubscriptionActor.Cancel TenantChanged = new(ErrorCodes.Forbidden, "The tenant changed before the list arrived.");

    /// <summary>Retries a second apart: a step of a spec surely comes before the retry.</summary>
    private static readonly PortalActorSettings SlowRetries = ActorSettings with
    {
        RestartBackoffMin = TimeSpan.FromSeconds(1),
        RestartBackoffMax = TimeSpan.FromSeconds(1),
    };

    private readonly TestProbe _nats;
    private readonly TestProbe _push;
    private readonly TestProbe _topics;
    private readonly ProbeNatsGateway _gateway;

    public SubscriptionActorSpecs()
    {
        _nats = CreateTestProbe("nats");
        _push = CreateTestProbe("push");
        _topics = CreateTestProbe("topics");
        _gateway = new ProbeNatsGateway(_nats.Ref);
    }

    [Fact]
    public async Task SubscriptionActor_must_join_the_topic_of_its_feed_and_tenant_when_started()
    {
        var feed = Start(Feed.Patients);

        var join = await _topics.ExpectMsgAsync<Join>(Wait);
        Assert.Equal(Feed.Patients, join.Feed);
        Assert.Equal(Tenant1, join.Tenant);
        Assert.Equal(feed, join.Subscriber);

        // No snapshot before the topic's subscription is in place.
        await _nats.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SubscriptionActor_must_fetch_the_patient_list_once_joined_and_push_it()
    {
        var feed = Start(Feed.Patients);
        await _topics.ExpectMsgAsync<Join>(Wait);

        feed.Tell(new Joined(PatientsOf1, 0));

        var request = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal(Subjects.PatientList, request.Subject);
        Assert.Equal("tenant-001", request.Body.Text("tenantId"));
        Assert.Equal("user-1", request.Body.Text("userId"));
        Assert.Equal(Token, request.Headers?.BearerToken);

        request.Answer("""{"patients":[{"id":"p1"},{"id":"p2"}]}""");

        var list = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(ConnectionId, list.ConnectionId);
        Assert.Equal(EventNames.PatientsListed, list.EventName);
        Assert.Equal(new SeqInfo(0, ""), list.Second); // current as of the seq the topic joined at
        var patients = JsonAssert.AsJson(list.Payload);
        Assert.Equal(JsonValueKind.Array, patients.ValueKind);
        Assert.Equal(["p1", "p2"], patients.EnumerateArray().Select(p => p.Text("id")));
    }

    [Fact]
    public async Task SubscriptionActor_must_push_each_broadcast_with_its_seq_once_live()
    {
        var feed = await StartLivePatients();

        feed.Tell(Event(1, """{"id":"p3","firstName":"Grace"}"""));
        feed.Tell(Event(2, """{"id":"p3","firstName":"Grace H."}""", EventNames.PatientsUpdated));

        var first = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(EventNames.PatientsNew, first.EventName);
        Assert.Equal("p3", JsonAssert.AsJson(first.Payload).Text("id"));
        Assert.Equal(new SeqInfo(1, ""), first.Second);
        Assert.Equal(1, JsonAssert.AsJson(first.Second!).GetProperty("seq").GetInt64());

        var second = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(EventNames.PatientsUpdated, second.EventName);
        Assert.Equal(new SeqInfo(2, ""), second.Second);
    }

    [Fact]
    public async Task SubscriptionActor_must_push_broadcasts_that_came_before_the_snapshot_after_it()
    {
        var feed = Start(Feed.Patients);
        await _topics.ExpectMsgAsync<Join>(Wait);

        // One broadcast while joining, one while the snapshot is out.
        feed.Tell(Event(1, """{"id":"early"}"""));
        feed.Tell(new Joined(PatientsOf1, 0));
        var request = await _nats.ExpectMsgAsync<Requested>(Wait);
        feed.Tell(Event(2, """{"id":"during"}"""));
        await _push.ExpectNoMsgAsync(Quiet);

        request.Answer("""{"patients":[]}""");

        Assert.Equal(EventNames.PatientsListed, (await _push.ExpectMsgAsync<Pushed>(Wait)).EventName);
        var early = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(new SeqInfo(1, ""), early.Second);
        Assert.Equal("early", JsonAssert.AsJson(early.Payload).Text("id"));
        Assert.Equal(new SeqInfo(2, ""), (await _push.ExpectMsgAsync<Pushed>(Wait)).Second);
    }

    [Fact]
    public async Task SubscriptionActor_must_send_the_dashboard_stats_and_activity_snapshots()
    {
        var feed = Start(Feed.Dashboard);
        await _topics.ExpectMsgAsync<Join>(Wait);
        feed.Tell(new Joined("customer.broadcast.dashboard.tenant-001", 0));

        var requests = new[] { await _nats.ExpectMsgAsync<Requested>(Wait), await _nats.ExpectMsgAsync<Requested>(Wait) }
            .ToDictionary(r => r.Subject);
        Assert.Equal([Subjects.DashboardGetActivity, Subjects.DashboardGetStats], requests.Keys.Order());
        Assert.All(requests.Values, r =>
        {
            Assert.Equal("tenant-001", r.Body.Text("tenantId"));
            Assert.Equal("user-1", r.Body.Text("userId"));
            Assert.Equal(Token, r.Headers?.BearerToken);
        });

        requests[Subjects.DashboardGetStats].Answer("""{"patients":12,"claims":30,"pendingClaims":4}""");
        var stats = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(EventNames.DashboardStats, stats.EventName);
        Assert.Equal(4, JsonAssert.AsJson(stats.Payload).GetProperty("pendingClaims").GetInt32());

        requests[Subjects.DashboardGetActivity].Answer("""{"activities":[{"what":"login"}]}""");
        var activity = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(EventNames.DashboardActivity, activity.EventName);
        Assert.Equal("login", JsonAssert.AsJson(activity.Payload)[0].Text("what"));

        // Live once both parts are in.
        feed.Tell(TopicEvents.Make("customer.broadcast.dashboard.tenant-001", 1, EventNames.DashboardActivityNew, Json("""{"what":"claim"}""")));
        var live = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(EventNames.DashboardActivityNew, live.EventName);
        Assert.Equal(new SeqInfo(1, ""), live.Second);
    }

    [Fact]
    public async Task SubscriptionActor_must_answer_a_claims_subscription_with_success_once_joined()
    {
        var feed = Start(Feed.Claims);
        await _topics.ExpectMsgAsync<Join>(Wait);
        await _push.ExpectNoMsgAsync(Quiet);

        feed.Tell(new Joined("customer.broadcast.claims.tenant-001", 0));

        var response = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal("claims:subscribe:response", response.EventName);
        var json = JsonAssert.AsJson(response.Payload);
        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal(RequestId, json.Text("requestId"));
        await _nats.ExpectNoMsgAsync(Quiet); // claims have no snapshot request

        feed.Tell(TopicEvents.Make("customer.broadcast.claims.tenant-001", 5, EventNames.ClaimsUpdated, Json("""{"id":"c1"}""")));
        Assert.Equal(new SeqInfo(5, ""), (await _push.ExpectMsgAsync<Pushed>(Wait)).Second);
    }

    [Fact]
    public async Task SubscriptionActor_must_refuse_with_service_unavailable_when_the_snapshot_has_no_responders_and_stay_live()
    {
        var feed = Start(Feed.Patients);
        await _topics.ExpectMsgAsync<Join>(Wait);
        feed.Tell(new Joined(PatientsOf1, 0));
        var request = await _nats.ExpectMsgAsync<Requested>(Wait);

        request.Reply.SetResult(NatsReply.NoResponders);

        await ExpectError(ErrorCodes.ServiceUnavailable);

        feed.Tell(Event(1, """{"id":"p1"}"""));
        Assert.Equal(EventNames.PatientsNew, (await _push.ExpectMsgAsync<Pushed>(Wait)).EventName);
    }

    [Theory]
    [InlineData("""{"patients":"not a list"}""")]
    [InlineData("""{"items":[]}""")]
    [InlineData("""[{"id":"p1"}]""")]
    [InlineData("not json")]
    public async Task SubscriptionActor_must_refuse_with_upstream_error_when_the_snapshot_is_malformed(string reply)
    {
        var feed = Start(Feed.Patients);
        await _topics.ExpectMsgAsync<Join>(Wait);
        feed.Tell(new Joined(PatientsOf1, 0));
        var request = await _nats.ExpectMsgAsync<Requested>(Wait);

        request.Reply.SetResult(NatsReply.Ok(Utf8(reply)));

        var error = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(EventNames.Error, error.EventName);
        var json = JsonAssert.AsJson(error.Payload);
        Assert.Equal(ErrorCodes.UpstreamError, json.Text("code"));
        Assert.Equal(RequestId, json.Text("requestId"));
        Assert.DoesNotContain("p1", json.Text("message"));
        await _push.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SubscriptionActor_must_fetch_a_fresh_snapshot_on_refresh_with_the_new_requestId()
    {
        var feed = await StartLivePatients();

        feed.Tell(new SubscriptionActor.Refresh("req-8"));

        var request = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal(Subjects.PatientList, request.Subject);
        request.Reply.SetResult(NatsReply.TimedOut);
        var error = JsonAssert.AsJson((await _push.ExpectMsgAsync<Pushed>(p => p.EventName == EventNames.Error, Wait)).Payload);
        Assert.Equal("req-8", error.Text("requestId"));
    }

    [Fact]
    public async Task SubscriptionActor_must_leave_the_topic_when_stopped()
    {
        var feed = await StartLivePatients();

        Sys.Stop(feed);

        var leave = await _topics.ExpectMsgAsync<Leave>(Wait);
        Assert.Equal(new Leave(Feed.Patients, Tenant1, feed), leave);
    }

    [Fact]
    public async Task SubscriptionActor_must_fail_on_a_broadcast_of_another_subject_and_never_push_it()
    {
        var feed = await StartLivePatients();

        await EventFilter.Exception<SubscriptionActor.ForeignBroadcastException>().ExpectOneAsync(() =>
        {
            feed.Tell(TopicEvents.Make("customer.broadcast.patients.tenant-002", 1, EventNames.PatientsNew, Json("""{"id":"theirs"}""")));
            return Task.CompletedTask;
        });

        // Restarted by its supervisor: it leaves and joins again, and nothing reached the browser.
        await _topics.ExpectMsgAsync<Leave>(Wait);
        await _topics.ExpectMsgAsync<Join>(Wait);
        await _push.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SubscriptionActor_must_fail_when_the_link_drops_and_resnapshot_after_backoff_once_NATS_is_back()
    {
        var supervisor = Sys.ActorOf(
            RestartWithBackoff.Props(SubscriptionActor.Props(Spec(Feed.Patients), _gateway, new ProbeBrowserPush(_push.Ref), _topics.Ref, ActorSettings), "feed", ActorSettings),
            "feed-supervisor");
        var firstChild = (await _topics.ExpectMsgAsync<Join>(Wait)).Subscriber;
        await BecomeLive(firstChild, "p1");
        var errors = CreateTestProbe("errors");
        Sys.EventStream.Subscribe(errors.Ref, typeof(Error));

        _gateway.SetLink(NatsLink.Down);
        Sys.EventStream.Publish(new NatsLinkChanged(NatsLink.Down));

        Assert.Equal(firstChild, (await _topics.ExpectMsgAsync<Leave>(Wait)).Subscriber);

        // While NATS stays down the child is started again and again (with backoff) but never joins.
        await ExpectNoJoin(TimeSpan.FromSeconds(1.5));
        var logged = await errors.ReceiveWhileAsync(TimeSpan.FromMilliseconds(200), m => m, msgs: int.MaxValue).ToListAsync();
        var failedStarts = logged.Count(m => m is Error { Cause: ActorInitializationException { InnerException: NatsLinkLostException } });
        Assert.True(failedStarts >= 2, $"expected the feed to retry while NATS is down, saw {failedStarts} failed starts in: {string.Join(" | ", logged)}");

        _gateway.SetLink(NatsLink.Up);

        var join = await _topics.FishForMessageAsync<Join>(_ => true, Wait);
        Assert.NotEqual(firstChild, join.Subscriber);
        await BecomeLive(join.Subscriber, "p2");
        var identity = await supervisor.Ask<ActorIdentity>(new Identify(null), Wait);
        Assert.NotNull(identity.Subject);
    }

    [Fact]
    public async Task SubscriptionActor_must_ask_the_snapshot_in_a_span_under_the_subscribe_calls_trace()
    {
        using var spans = new SpanRecorder();
        var caller = SpanRecorder.NewCallContext();
        var feed = Start(Spec(Feed.Dashboard) with { Trace = caller });
        await _topics.ExpectMsgAsync<Join>(Wait);

        feed.Tell(new Joined("customer.broadcast.dashboard.tenant-001", 0));

        // Stats and activity: each part its own span, both under the call.
        foreach (var request in new[] { await _nats.ExpectMsgAsync<Requested>(Wait), await _nats.ExpectMsgAsync<Requested>(Wait) })
        {
            var span = await spans.ChildOf(request.Trace, caller);
            Assert.Equal(PortalTracing.FeedSnapshot, span.OperationName);
            Assert.Equal(request.Subject, span.GetTagItem("portal.snapshot.subject"));
        }
    }

    [Fact]
    public async Task SubscriptionActor_must_retry_a_snapshot_after_no_responders_in_a_new_span_of_the_same_trace()
    {
        using var spans = new SpanRecorder();
        var caller = SpanRecorder.NewCallContext();
        var feed = Start(Spec(Feed.Patients) with { Trace = caller });
        await _topics.ExpectMsgAsync<Join>(Wait);
        feed.Tell(new Joined(PatientsOf1, 0));
        var first = await _nats.ExpectMsgAsync<Requested>(Wait);

        first.Reply.SetResult(NatsReply.NoResponders);

        var retry = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal(Subjects.PatientList, retry.Subject);
        Assert.NotEqual(first.Trace.SpanId, retry.Trace.SpanId);
        var span = await spans.ChildOf(retry.Trace, caller);
        Assert.Equal(2, span.GetTagItem("portal.snapshot.attempt"));
    }

    [Fact]
    public async Task SubscriptionActor_must_ask_a_refreshed_snapshot_in_the_trace_of_the_later_subscribe()
    {
        using var spans = new SpanRecorder();
        var feed = await StartLivePatients();
        var again = SpanRecorder.NewCallContext();

        feed.Tell(new SubscriptionActor.Refresh("req-8") { Trace = again });

        await spans.ChildOf((await _nats.ExpectMsgAsync<Requested>(Wait)).Trace, again);
    }

    [Fact]
    public async Task SubscriptionActor_must_ask_a_resumes_snapshot_in_the_resume_calls_trace_not_the_subscribes()
    {
        using var spans = new SpanRecorder();
        var subscribe = SpanRecorder.NewCallContext();
        var feed = Start(Spec(Feed.Patients) with { Trace = subscribe });
        await _topics.ExpectMsgAsync<Join>(Wait);
        await BecomeLive(feed, "p1");
        var resume = SpanRecorder.NewCallContext();

        feed.Tell(new SubscriptionActor.ResumeAfter(null, "", TestActor) { Trace = resume });

        await ExpectMsgAsync<SubscriptionActor.Resumed>(Wait);
        feed.Tell(SubscriptionActor.ReleaseReplay.Instance);
        await spans.ChildOf((await _nats.ExpectMsgAsync<Requested>(Wait)).Trace, resume);
    }

    [Fact]
    public async Task SubscriptionActor_must_ask_the_stats_again_when_their_retry_comes_while_the_activity_is_still_out()
    {
        var (feed, stats, activity) = await StartFetchingDashboard();

        // The activity is held: the stats' retry comes while the feed still waits for it.
        stats.Reply.SetResult(NatsReply.NoResponders);
        await ExpectError(ErrorCodes.ServiceUnavailable, method: EventNames.DashboardSubscribe);

        var retry = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal(Subjects.DashboardGetStats, retry.Subject);
        retry.Answer("""{"patients":12}""");
        Assert.Equal(EventNames.DashboardStats, (await _push.ExpectMsgAsync<Pushed>(Wait)).EventName);
        activity.Answer("""{"activities":[]}""");
        Assert.Equal(EventNames.DashboardActivity, (await _push.ExpectMsgAsync<Pushed>(Wait)).EventName);
    }

    [Fact]
    public async Task SubscriptionActor_must_ask_a_part_again_when_its_retry_comes_during_a_replay()
    {
        // A backoff far longer than the steps below: the retry surely comes once the feed replays.
        var (feed, stats, activity) = await StartFetchingDashboard(SlowRetries);
        stats.Reply.SetResult(NatsReply.NoResponders);
        await _push.ExpectMsgAsync<Pushed>(p => p.EventName == EventNames.Error, Wait);
        activity.Answer("""{"activities":[]}""");
        await _push.ExpectMsgAsync<Pushed>(p => p.EventName == EventNames.DashboardActivity, Wait);

        feed.Tell(new SubscriptionActor.ResumeAfter(0, "", TestActor));
        await ExpectMsgAsync<Replay>(Wait);

        // The topic's history is held: the retry must not wait for it, nor be lost behind it.
        var retry = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal(Subjects.DashboardGetStats, retry.Subject);
        retry.Answer("""{"patients":12}""");
        feed.Tell(new Replayed(DashboardOf1, [], Complete: true));

        Assert.True((await ExpectMsgAsync<SubscriptionActor.Resumed>(Wait)).Recovered);
        feed.Tell(SubscriptionActor.ReleaseReplay.Instance);
        Assert.Equal(EventNames.DashboardStats, (await _push.ExpectMsgAsync<Pushed>(Wait)).EventName);
    }

    [Fact]
    public async Task SubscriptionActor_must_answer_a_refresh_while_a_retry_is_pending_in_a_round_of_its_own()
    {
        var (feed, first) = await StartFetchingPatients(SlowRetries);
        first.Reply.SetResult(NatsReply.NoResponders);
        await ExpectError(ErrorCodes.ServiceUnavailable);

        feed.Tell(new SubscriptionActor.Refresh("req-8"));

        // The refresh asks afresh; the first round's retry, due meanwhile, asks nothing more.
        var again = await _nats.ExpectMsgAsync<Requested>(Wait);
        await _nats.ExpectNoMsgAsync(SlowRetries.RestartBackoffMax * 1.5);

        // The later call is told too, and its own retries go on until the list comes.
        again.Reply.SetResult(NatsReply.NoResponders);
        await ExpectError(ErrorCodes.ServiceUnavailable, "req-8");
        (await _nats.ExpectMsgAsync<Requested>(Wait)).Answer("""{"patients":[{"id":"p1"}]}""");
        Assert.Equal(EventNames.PatientsListed, (await _push.ExpectMsgAsync<Pushed>(Wait)).EventName);
    }

    [Fact]
    public async Task SubscriptionActor_must_drop_an_answer_of_an_earlier_round_that_comes_after_a_fresher_one()
    {
        var (feed, first) = await StartFetchingPatients();
        first.Reply.SetResult(NatsReply.NoResponders);
        await _push.ExpectMsgAsync<Pushed>(p => p.EventName == EventNames.Error, Wait);
        var firstRoundsRetry = await _nats.ExpectMsgAsync<Requested>(Wait);

        feed.Tell(new SubscriptionActor.Refresh("req-8"));
        var refreshed = await _nats.ExpectMsgAsync<Requested>(Wait);
        refreshed.Answer("""{"patients":[{"id":"fresh"}]}""");
        Assert.Equal("fresh", JsonAssert.AsJson((await _push.ExpectMsgAsync<Pushed>(Wait)).Payload)[0].Text("id"));

        firstRoundsRetry.Answer("""{"patients":[{"id":"stale"}]}""");

        await _push.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SubscriptionActor_must_refuse_its_subscribe_and_stop_when_cancelled_before_the_snapshot_came()
    {
        var (feed, request) = await StartFetchingPatients();
        Watch(feed);

        feed.Tell(TenantChanged);

        await ExpectRefusal(RequestId);
        await ExpectTerminatedAsync(feed, Wait);
        Assert.Equal(feed, (await _topics.ExpectMsgAsync<Leave>(Wait)).Subscriber);

        // The snapshot that comes after the end reaches nobody.
        request.Answer("""{"patients":[{"id":"p1"}]}""");
        await _push.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SubscriptionActor_must_refuse_its_subscribe_when_cancelled_while_it_joins_the_topic()
    {
        var feed = Watch(Start(Feed.Claims));
        await _topics.ExpectMsgAsync<Join>(Wait);

        feed.Tell(TenantChanged);

        await ExpectRefusal(RequestId, EventNames.ClaimsSubscribe);
        var response = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal("claims:subscribe:response", response.EventName);
        Assert.False(JsonAssert.AsJson(response.Payload).GetProperty("success").GetBoolean());
        await ExpectTerminatedAsync(feed, Wait);
        await _nats.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SubscriptionActor_must_refuse_a_dashboard_subscribe_whose_activity_is_still_out_when_cancelled()
    {
        var (feed, stats, _) = await StartFetchingDashboard();
        Watch(feed);
        stats.Answer("""{"patients":12}""");
        Assert.Equal(EventNames.DashboardStats, (await _push.ExpectMsgAsync<Pushed>(Wait)).EventName);

        feed.Tell(TenantChanged);

        await ExpectRefusal(RequestId, EventNames.DashboardSubscribe);
        await ExpectTerminatedAsync(feed, Wait);
    }

    [Fact]
    public async Task SubscriptionActor_must_refuse_a_later_subscribe_whose_snapshot_is_out_when_cancelled()
    {
        var feed = Watch(await StartLivePatients());
        feed.Tell(new SubscriptionActor.Refresh("req-8"));
        await _nats.ExpectMsgAsync<Requested>(Wait);

        feed.Tell(TenantChanged);

        await ExpectRefusal("req-8");
        await ExpectTerminatedAsync(feed, Wait);
    }

    [Fact]
    public async Task SubscriptionActor_must_refuse_the_subscribe_and_a_later_one_waiting_behind_it_when_cancelled()
    {
        var (feed, _) = await StartFetchingPatients();
        Watch(feed);
        feed.Tell(new SubscriptionActor.Refresh("req-8"));

        feed.Tell(TenantChanged);

        await ExpectRefusal(RequestId);
        await ExpectRefusal("req-8");
        await ExpectTerminatedAsync(feed, Wait);
    }

    [Fact]
    public async Task SubscriptionActor_must_just_stop_when_cancelled_after_its_subscribe_was_answered()
    {
        var feed = Watch(await StartLivePatients());

        feed.Tell(TenantChanged);

        await ExpectTerminatedAsync(feed, Wait);
        await _push.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task SubscriptionActor_must_not_refuse_a_subscribe_twice_when_cancelled_while_it_retries_an_unavailable_snapshot()
    {
        var (feed, first) = await StartFetchingPatients(SlowRetries);
        Watch(feed);
        first.Reply.SetResult(NatsReply.NoResponders);
        await ExpectError(ErrorCodes.ServiceUnavailable);

        feed.Tell(TenantChanged);

        await ExpectTerminatedAsync(feed, Wait);
        await _push.ExpectNoMsgAsync(Quiet);
    }

    private SubscriptionSpec Spec(Feed feed) => new(ConnectionId, feed, Tenant1, Session(), RequestId);

    private IActorRef Start(Feed feed) => Start(Spec(feed));

    private IActorRef Start(SubscriptionSpec spec, PortalActorSettings? settings = null) =>
        Sys.ActorOf(SubscriptionActor.Props(spec, _gateway, new ProbeBrowserPush(_push.Ref), _topics.Ref, settings ?? ActorSettings));

    /// <summary>Starts a patients feed, has it join, and returns it with its held snapshot request.</summary>
    private async Task<(IActorRef Feed, Requested List)> StartFetchingPatients(PortalActorSettings? settings = null)
    {
        var feed = Start(Spec(Feed.Patients), settings);
        await _topics.ExpectMsgAsync<Join>(Wait);
        feed.Tell(new Joined(PatientsOf1, 0));
        return (feed, await _nats.ExpectMsgAsync<Requested>(Wait));
    }

    /// <summary>Starts a dashboard feed, has it join, and returns it with its two held snapshot requests.</summary>
    private async Task<(IActorRef Feed, Requested Stats, Requested Activity)> StartFetchingDashboard(PortalActorSettings? settings = null)
    {
        var feed = Start(Spec(Feed.Dashboard), settings);
        await _topics.ExpectMsgAsync<Join>(Wait);
        feed.Tell(new Joined(DashboardOf1, 0));
        var requests = new[] { await _nats.ExpectMsgAsync<Requested>(Wait), await _nats.ExpectMsgAsync<Requested>(Wait) }
            .ToDictionary(r => r.Subject);
        return (feed, requests[Subjects.DashboardGetStats], requests[Subjects.DashboardGetActivity]);
    }

    private async Task<IActorRef> StartLivePatients()
    {
        var feed = Start(Feed.Patients);
        await _topics.ExpectMsgAsync<Join>(Wait);
        await BecomeLive(feed, "p1");
        return feed;
    }

    /// <summary>Answers Joined and the snapshot request, and checks the list reached the browser.</summary>
    private async Task BecomeLive(IActorRef feed, string patientId)
    {
        feed.Tell(new Joined(PatientsOf1, 0));
        var request = await _nats.FishForMessageAsync<Requested>(_ => true, Wait);
        Assert.Equal(Subjects.PatientList, request.Subject);
        request.Answer($$"""{"patients":[{"id":"{{patientId}}"}]}""");
        var list = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(EventNames.PatientsListed, list.EventName);
        Assert.Equal(patientId, JsonAssert.AsJson(list.Payload)[0].Text("id"));
    }

    /// <summary>The next push, which must be an <c>error</c> with <paramref name="code"/> for a subscribe of the feed; returns its body.</summary>
    private async Task<JsonElement> ExpectError(string code, string requestId = RequestId, string method = EventNames.PatientsSubscribe)
    {
        var pushed = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(EventNames.Error, pushed.EventName);
        var error = JsonAssert.AsJson(pushed.Payload);
        Assert.Equal(code, error.Text("code"));
        Assert.Equal(requestId, error.Text("requestId"));
        Assert.Equal(method, error.Text("method"));
        return error;
    }

    /// <summary>The error push of a cancelled subscribe of the feed.</summary>
    private async Task ExpectRefusal(string requestId, string method = EventNames.PatientsSubscribe) =>
        Assert.Equal(TenantChanged.Message, (await ExpectError(ErrorCodes.Forbidden, requestId, method)).Text("message"));

    private async Task ExpectNoJoin(TimeSpan within)
    {
        var seen = await _topics.ReceiveWhileAsync<object>(within, m => m, msgs: int.MaxValue).ToListAsync();
        Assert.DoesNotContain(seen, m => m is Join);
    }

    private static TopicEvent Event(long seq, string payload, string eventName = EventNames.PatientsNew) =>
        TopicEvents.Make(PatientsOf1, seq, eventName, Json(payload));

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
