using Akka.Actor;
using Portal.Actors.Browser;
using Portal.Actors.Connections;
using Portal.Actors.Nats;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tenants;
using Portal.Actors.Tests.Fakes;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using static Portal.Actors.Connections.ConnectionProtocol;
using static Portal.Actors.Connections.SessionManager;
using static Portal.Actors.Tests.Fakes.ProbeBrowserPush;
using static Portal.Actors.Tests.Fakes.ProbeNatsGateway;

namespace Portal.Actors.Tests;

/// <summary>
/// The interleavings a review of the connection actor found wrong, each forced with probes and held
/// replies: an answer arriving after its session moved, was held or is replaying; a select verified
/// after a move; resumes with refused tokens.
/// </summary>
public sealed class ConnectionActorRaceSpecs : ConnectionActorSpecBase
{
    private const string Token = "secret-token";
    private const string NewConn = "conn-2";

    [Fact]
    public async Task ConnectionActor_must_refuse_the_old_sockets_calls_in_flight_there_when_the_session_moves()
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);
        var views = new List<Requested>();
        for (var i = 0; i < 3; i++)
        {
            connection.Tell(new SocketCall(Conn, new PatientViewCall(SafeId.Parse<PatientId>($"p-{i}")) { RequestId = $"view-{i}" }));
            views.Add(await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.PatientGet, Wait));
        }

        connection.Tell(new Reattach(NewConn, new ResumeCall(Token, null)));
        await AnswerTokenCheck();
        Assert.Equal((NewConn, EventNames.ResponseOf(EventNames.AuthResume)), Where(await _pushes.ExpectMsgAsync<Pushed>(Wait)));
        Assert.Equal((Conn, EventNames.Error), Where(await _pushes.ExpectMsgAsync<Pushed>(Wait)));
        foreach (var view in views)
        {
            view.Answer("""{"success":true,"patient":{"id":"p"}}""");
        }

        // Each answer is refused where it was asked, never pushed to the new socket.
        for (var i = 0; i < 3; i++)
        {
            var refusal = await _pushes.FishForMessageAsync<Pushed>(p => p.EventName == EventNames.Error, Wait);
            Assert.Equal(Conn, refusal.ConnectionId);
            Assert.Equal((ErrorCodes.Unauthenticated, BrowserPushExtensions.MovedMessage), Of(refusal));
        }

        Assert.DoesNotContain(_pushes.ReceiveWhile(TimeSpan.FromMilliseconds(300), m => m), m => m is Pushed { ConnectionId: NewConn });
    }

    [Fact]
    public async Task ConnectionActor_must_not_call_a_session_ended_when_an_answer_arrives_while_it_replays()
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Claims)));
        await _children.FishForMessageAsync<ForwardingChild.Started>(s => s.Kind == "Claims", Wait);
        connection.Tell(new SocketCall(Conn, new ClaimGetCall(SafeId.Parse<ClaimId>("c-1")) { RequestId = "get" }));
        var get = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.ClaimsGet, Wait);

        connection.Tell(new Reattach(NewConn, new ResumeCall(Token, new LastSeq(null, null, 4))));
        await AnswerTokenCheck();
        await _children.FishForMessageAsync<SubscriptionActor.ResumeAfter>(_ => true, Wait);
        get.Answer("""{"success":true,"claim":{"id":"c-1"}}""");

        // The session is alive: the old socket hears its call was moved away, not that its session ended.
        var refusal = await _pushes.FishForMessageAsync<Pushed>(p => p.EventName == EventNames.Error && Of(p).Code == ErrorCodes.Unauthenticated && ((ErrorPush)p.Payload).RequestId == "get", Wait);
        Assert.Equal((Conn, BrowserPushExtensions.MovedMessage), (refusal.ConnectionId, Of(refusal).Message));
        connection.Tell(new SubscriptionActor.Resumed(Feed.Claims, true));
        Assert.Equal(NewConn, (await ExpectPush(EventNames.ResponseOf(EventNames.AuthResume))).ConnectionId);
    }

    [Fact]
    public async Task ConnectionActor_must_not_refuse_an_answer_as_a_session_ended_while_the_session_is_held()
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);
        connection.Tell(new SocketCall(Conn, new ClaimGetCall(SafeId.Parse<ClaimId>("c-1")) { RequestId = "get" }));
        var get = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.ClaimsGet, Wait);
        connection.Tell(new Detached(Conn));

        get.Answer("""{"success":true,"claim":{"id":"c-1"}}""");

        // Nobody is there to hear it, and the session stays as it was.
        await _pushes.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        connection.Tell(new Reattach(NewConn, new ResumeCall(Token, null)));
        await AnswerTokenCheck();
        var resumed = (ResumeResponse)(await ExpectPush(EventNames.ResponseOf(EventNames.AuthResume))).Payload;
        Assert.Equal("tenant-001", resumed.TenantId);
    }

    [Fact]
    public async Task ConnectionActor_must_keep_a_tenant_verification_that_arrives_while_it_replays_and_refuse_it_on_the_old_socket()
    {
        var connection = StartConnection();
        var tenants = await LogInAndSelect(connection, Tenant1);
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Claims)));
        await _children.FishForMessageAsync<ForwardingChild.Started>(s => s.Kind == "Claims", Wait);
        var select = new TenantSelectCall(Tenant2) { RequestId = "switch" };
        connection.Tell(new SocketCall(Conn, select));
        await _children.FishForMessageAsync<TenantActor.SelectTenant>(_ => true, Wait);

        connection.Tell(new Reattach(NewConn, new ResumeCall(Token, new LastSeq(null, null, 4))));
        await AnswerTokenCheck();
        await _children.FishForMessageAsync<SubscriptionActor.ResumeAfter>(_ => true, Wait);
        connection.Tell(new TenantActor.TenantVerified(Tenant2, null, select, Conn), tenants);
        connection.Tell(new SubscriptionActor.Resumed(Feed.Claims, true));

        var resumed = await ExpectPush(EventNames.ResponseOf(EventNames.AuthResume));
        Assert.Equal(("tenant-001", NewConn), (((ResumeResponse)resumed.Payload).TenantId, resumed.ConnectionId));
        var refusal = await _pushes.FishForMessageAsync<Pushed>(p => p.EventName == EventNames.Error && ((ErrorPush)p.Payload).RequestId == "switch", Wait);
        Assert.Equal(Conn, refusal.ConnectionId);

        // The session stays on the tenant the new socket was told, with its feed, released once the answer is out.
        await _children.FishForMessageAsync<SubscriptionActor.ReleaseReplay>(_ => true, Wait);
        await _children.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        connection.Tell(new SocketCall(NewConn, new PatientViewCall(SafeId.Parse<PatientId>("p-1"))));
        Assert.Equal("tenant-001", (await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.PatientGet, Wait)).Body.Text("tenantId"));
    }

    [Fact]
    public async Task ConnectionActor_must_count_resumes_the_auth_service_refuses_like_failed_logins()
    {
        var connection = StartConnection(limits: new RateLimitSettings { FailedLoginsPerSocket = 2 });
        await ExpectPush(EventNames.Connected);
        for (var i = 0; i < 2; i++)
        {
            connection.Tell(new SocketCall(Conn, new ResumeCall($"stolen-{i}", null)));
            (await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.AuthVerify, Wait)).Answer("""{"valid":false,"error":"unknown token"}""");
            await ExpectError(ErrorCodes.Unauthenticated, EventNames.AuthResume);
        }

        // The third try is refused at once: the auth service is not asked again.
        connection.Tell(new SocketCall(Conn, new ResumeCall("stolen-2", null)));
        await ExpectError(ErrorCodes.RateLimited, EventNames.AuthResume);
        await _nats.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        connection.Tell(new SocketCall(Conn, new LoginCall("demo@htpi.com", "demo123")));
        await ExpectError(ErrorCodes.RateLimited, EventNames.AuthLogin);
    }

    [Fact]
    public async Task ConnectionActor_must_end_a_held_session_whose_token_the_auth_service_no_longer_accepts()
    {
        var connection = StartConnection();
        Watch(connection);
        await LogInAndSelect(connection, Tenant1);
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Claims)));
        var feed = (await _children.FishForMessageAsync<ForwardingChild.Started>(s => s.Kind == "Claims", Wait)).Child;
        connection.Tell(new Detached(Conn));

        connection.Tell(new Reattach(NewConn, new ResumeCall(Token, null)));
        await AnswerTokenCheck(valid: false);

        // The resuming socket's own actor answers the resume (and refuses it); the held session is over.
        Assert.Equal(NewConn, (await ExpectMsgAsync<ReattachRefused>(Wait)).ConnectionId);
        await _children.FishForMessageAsync<ForwardingChild.Stopped>(s => s.Child.Equals(feed), Wait);
        await ExpectTerminatedAsync(connection, Wait);
        Assert.DoesNotContain(_pushes.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m), m => m is Pushed { ConnectionId: NewConn });
    }

    [Fact]
    public async Task ConnectionActor_must_log_out_an_open_socket_whose_token_the_auth_service_no_longer_accepts_when_it_is_resumed_elsewhere()
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);

        connection.Tell(new Reattach(NewConn, new ResumeCall(Token, null)));
        await AnswerTokenCheck(valid: false);

        Assert.Equal(NewConn, (await ExpectMsgAsync<ReattachRefused>(Wait)).ConnectionId);
        var notice = await _pushes.FishForMessageAsync<Pushed>(p => p.EventName == EventNames.Error, Wait);
        Assert.Equal((Conn, ErrorCodes.Unauthenticated), (notice.ConnectionId, Of(notice).Code));
        connection.Tell(new SocketCall(Conn, new PatientViewCall(SafeId.Parse<PatientId>("p-1"))));
        await ExpectError(ErrorCodes.Unauthenticated, EventNames.PatientsView);
    }

    [Fact]
    public async Task ConnectionActor_must_keep_a_held_session_when_the_auth_service_cannot_say_whether_its_token_holds()
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);
        connection.Tell(new Detached(Conn));

        connection.Tell(new Reattach(NewConn, new ResumeCall(Token, null)));
        (await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.AuthVerify, Wait)).Reply.SetResult(NatsReply.NoResponders);

        // The resuming socket's own actor answers (service_unavailable); the session waits for a later resume.
        Assert.Equal(NewConn, (await ExpectMsgAsync<ReattachRefused>(Wait)).ConnectionId);
        connection.Tell(new Reattach(NewConn, new ResumeCall(Token, null)));
        await AnswerTokenCheck();
        Assert.Equal("tenant-001", ((ResumeResponse)(await ExpectPush(EventNames.ResponseOf(EventNames.AuthResume))).Payload).TenantId);
    }

    [Fact]
    public async Task ConnectionActor_must_restore_the_tenant_and_feeds_a_fresh_resume_names_once_access_is_verified()
    {
        var connection = StartConnection();
        await ExpectPush(EventNames.Connected);
        connection.Tell(new SocketCall(Conn, new ResumeCall(Token, new LastSeq(null, 7, null))
        {
            NamedTenant = Tenant2, Subscriptions = [Feed.Patients, Feed.Claims], RequestId = "back",
        }));
        await AnswerTokenCheck();

        // Verified exactly as a select is: the user and the tenant named.
        var access = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.TenantVerifyAccess, Wait);
        Assert.Equal(("user-demo", "tenant-002"), (access.Body.Text("userId"), access.Body.Text("tenantId")));
        access.Answer("""{"hasAccess":true,"userId":"user-demo","tenantId":"tenant-002"}""");

        var answer = (ResumeResponse)(await ExpectPush(EventNames.ResponseOf(EventNames.AuthResume))).Payload;
        Assert.Equal(("tenant-002", false, "back"), (answer.TenantId, answer.Recovered, answer.RequestId));
        Assert.Equal(["claims", "patients"], answer.Subscriptions);
        var started = new[]
        {
            await _children.FishForMessageAsync<ForwardingChild.Started>(s => s.Kind != "tenants", Wait),
            await _children.FishForMessageAsync<ForwardingChild.Started>(s => s.Kind != "tenants", Wait),
        }.Select(s => (SubscriptionSpec)s.Spec).ToList();
        Assert.All(started, spec => Assert.Equal(Tenant2, spec.Tenant));
        Assert.Equal([Feed.Patients, Feed.Claims], started.Select(s => s.Feed).OrderBy(f => f == Feed.Claims)); // children start side by side
        connection.Tell(new SocketCall(Conn, new PatientViewCall(SafeId.Parse<PatientId>("p-1"))));
        Assert.Equal("tenant-002", (await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.PatientGet, Wait)).Body.Text("tenantId"));
    }

    [Fact]
    public async Task ConnectionActor_must_answer_a_fresh_resume_once_its_feeds_can_replay_then_release_them_and_restart_a_failed_one_as_a_plain_feed()
    {
        var connection = StartConnection();
        await ExpectPush(EventNames.Connected);
        connection.Tell(new SocketCall(Conn, new ResumeCall(Token, new LastSeq(null, 7, null))
        {
            NamedTenant = Tenant1, Subscriptions = [Feed.Patients], Epoch = "e-1",
        }));
        await AnswerTokenCheck();
        (await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.TenantVerifyAccess, Wait))
            .Answer("""{"hasAccess":true,"userId":"user-demo","tenantId":"tenant-001"}""");

        // The feed starts with the browser's seq and epoch, and nothing is answered before it says whether it can replay.
        var started = await _children.FishForMessageAsync<ForwardingChild.Started>(s => s.Kind == "Patients", Wait);
        Assert.Equal(new FeedResume(7, "e-1"), ((SubscriptionSpec)started.Spec).Resume);
        await _pushes.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        connection.Tell(new SubscriptionActor.Resumed(Feed.Patients, true), started.Child);

        Assert.True(((ResumeResponse)(await ExpectPush(EventNames.ResponseOf(EventNames.AuthResume))).Payload).Recovered);
        await _children.FishForMessageAsync<SubscriptionActor.ReleaseReplay>(_ => true, Wait);

        // A failure later: the feed comes back without the resume, which was answered long ago.
        started.Child.Tell(new ForwardingChild.FailNow(new NatsLinkLostException("gone")));
        var again = await _children.FishForMessageAsync<ForwardingChild.Started>(s => s.Kind == "Patients", Wait);
        Assert.Null(((SubscriptionSpec)again.Spec).Resume);
        Assert.True(((SubscriptionSpec)again.Spec).Restored);
    }

    [Fact]
    public async Task ConnectionActor_must_restore_no_tenant_and_no_feed_when_a_fresh_resume_names_a_tenant_not_granted()
    {
        var connection = StartConnection();
        await ExpectPush(EventNames.Connected);
        connection.Tell(new SocketCall(Conn, new ResumeCall(Token, null) { NamedTenant = Tenant2, Subscriptions = [Feed.Patients] }));
        await AnswerTokenCheck();
        (await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.TenantVerifyAccess, Wait))
            .Answer("""{"hasAccess":false,"userId":"user-demo","tenantId":"tenant-002"}""");

        var answer = (ResumeResponse)(await ExpectPush(EventNames.ResponseOf(EventNames.AuthResume))).Payload;
        Assert.True(answer.Success);
        Assert.Null(answer.TenantId);
        Assert.Empty(answer.Subscriptions!);

        // Nothing of that tenant is started, asked for or sent.
        await _children.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        await _nats.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Patients)));
        await ExpectError(ErrorCodes.NoTenantSelected, EventNames.PatientsSubscribe);
    }

    private static (string, string) Where(Pushed pushed) => (pushed.ConnectionId, pushed.EventName);

    private static (string Code, string Message) Of(Pushed pushed) => (((ErrorPush)pushed.Payload).Code, ((ErrorPush)pushed.Payload).Message);
}
