using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Portal.Actors.Connections;
using Portal.Actors.Mailboxes;
using Portal.Actors.Nats;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tenants;
using Portal.Actors.Tests.Fakes;
using Portal.Actors.Topics;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using static Portal.Actors.Connections.ConnectionProtocol;
using static Portal.Actors.Connections.SessionManager;
using static Portal.Actors.Nats.ClientReplyRouter;
using static Portal.Actors.Tests.Fakes.ProbeBrowserPush;
using static Portal.Actors.Tests.Fakes.ProbeNatsGateway;

namespace Portal.Actors.Tests;

public sealed class ConnectionActorSpecs : ConnectionActorSpecBase
{
    [Fact]
    public async Task ConnectionActor_must_greet_the_socket_and_register_its_clientId()
    {
        StartConnection();

        var connected = await ExpectPush(EventNames.Connected);
        Assert.Equal(Conn, JsonAssert.AsJson(connected.Payload).Text("connectionId"));
        var register = await _router.ExpectMsgAsync<Register>();
        Assert.True(SafeId.IsValid(register.ClientId.Value));
    }

    [Fact]
    public async Task ConnectionActor_must_log_in_through_the_per_socket_reply_subject()
    {
        var connection = StartConnection();
        var clientId = (await _router.ExpectMsgAsync<Register>()).ClientId;

        connection.Tell(new SocketCall(Conn, new LoginCall("demo@htpi.com", "demo123") { RequestId = "r1" }));

        var published = await _nats.ExpectMsgAsync<Published>();
        Assert.Equal(Subjects.AuthLogin, published.Subject);
        Assert.Equal(Subjects.AuthResponse(clientId), published.ReplyTo);
        Assert.Equal(clientId.Value, published.Body.Text("clientId"));
        Assert.Equal("customer", published.Body.Text("portal"));
        Assert.Equal("demo123", published.Body.Text("password"));
        Assert.Equal("r1", published.Body.Text("requestId"));

        connection.Tell(Reply(ClientReplyKind.Auth, LoginOk));

        var response = JsonAssert.AsJson((await ExpectPush("auth:login:response")).Payload);
        Assert.True(response.GetProperty("success").GetBoolean());
        Assert.Equal("secret-token", response.Text("token"));
        Assert.Equal("user-demo", response.GetProperty("user").Text("id"));
        Assert.Equal("r1", response.Text("requestId"));

        // The tenant child is made when a list or select needs it, not for every login.
        await _children.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        connection.Tell(new SocketCall(Conn, new TenantsListCall()));
        await _children.ExpectMsgAsync<ForwardingChild.Started>(s => s.Kind == "tenants");
    }

    [Fact]
    public async Task ConnectionActor_must_refuse_a_wrong_password_with_an_error_and_a_failed_response()
    {
        var connection = StartConnection();
        connection.Tell(new SocketCall(Conn, new LoginCall("demo@htpi.com", "nope") { RequestId = "r2" }));
        await _nats.ExpectMsgAsync<Published>();

        connection.Tell(Reply(ClientReplyKind.Auth, """{"success":false,"clientId":"x","error":"Invalid email or password"}"""));

        await ExpectError(ErrorCodes.Unauthenticated, "auth:login", "r2");
        var response = JsonAssert.AsJson((await ExpectPush("auth:login:response")).Payload);
        Assert.False(response.GetProperty("success").GetBoolean());
        Assert.Equal("Invalid email or password", response.Text("error"));
        Assert.False(response.TryGetProperty("token", out _));
    }

    [Fact]
    public async Task ConnectionActor_must_answer_service_unavailable_when_login_times_out()
    {
        var connection = StartConnection();
        connection.Tell(new SocketCall(Conn, new LoginCall("demo@htpi.com", "demo123")));
        await _nats.ExpectMsgAsync<Published>();

        await ExpectError(ErrorCodes.ServiceUnavailable, "auth:login");

        // The socket is still usable: a late answer is ignored and a new login works.
        connection.Tell(Reply(ClientReplyKind.Auth, LoginOk));
        await LogIn(connection);
    }

    [Fact]
    public async Task ConnectionActor_must_answer_service_unavailable_at_once_when_nobody_serves_login()
    {
        var connection = StartConnection();
        connection.Tell(new SocketCall(Conn, new LoginCall("demo@htpi.com", "demo123")));
        await _nats.ExpectMsgAsync<Published>();

        connection.Tell(new ClientReply(ClientReplyKind.Auth, default, NoResponders: true));

        await ExpectError(ErrorCodes.ServiceUnavailable, "auth:login");
    }

    [Fact]
    public async Task ConnectionActor_must_answer_service_unavailable_at_once_while_NATS_is_down()
    {
        _gateway.SetLink(NatsLink.Down);
        var connection = StartConnection();
        await ExpectPush(EventNames.ConnectionStatus);

        connection.Tell(new SocketCall(Conn, new LoginCall("demo@htpi.com", "demo123")));

        await ExpectError(ErrorCodes.ServiceUnavailable, "auth:login");
    }

    [Theory]
    [MemberData(nameof(CallsBeforeLogin))]
    public async Task ConnectionActor_must_refuse_every_call_but_login_and_resume_before_login(BrowserCall call)
    {
        var connection = StartConnection();

        connection.Tell(new SocketCall(Conn, call with { RequestId = "early" }));

        await ExpectError(ErrorCodes.Unauthenticated, call.Method, "early");
        _nats.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    public static TheoryData<BrowserCall> CallsBeforeLogin() =>
    [
        new LogoutCall(),
        new TenantsListCall(),
        new TenantSelectCall(SafeId.Parse<TenantId>("tenant-001")),
        new SubscribeCall(Feed.Patients),
        new PatientViewCall(SafeId.Parse<PatientId>("p-1")),
        new ClaimGetCall(SafeId.Parse<ClaimId>("c-1")),
    ];

    [Fact]
    public async Task ConnectionActor_must_refuse_tenant_calls_before_a_tenant_is_selected()
    {
        var connection = StartConnection();
        await LogIn(connection);

        connection.Tell(new SocketCall(Conn, new PatientViewCall(SafeId.Parse<PatientId>("p-1")) { RequestId = "v" }));

        await ExpectError(ErrorCodes.NoTenantSelected, "patients:view", "v");
    }

    [Fact]
    public async Task ConnectionActor_must_select_a_tenant_only_after_the_tenant_child_verified_it()
    {
        var connection = StartConnection();
        await LogIn(connection);

        var select = new TenantSelectCall(Tenant1) { RequestId = "s1" };
        connection.Tell(new SocketCall(Conn, select));
        var tenants = await _children.ExpectMsgAsync<ForwardingChild.Started>();
        await _children.ExpectMsgAsync<TenantActor.SelectTenant>();
        _pushes.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        connection.Tell(new TenantActor.TenantVerified(Tenant1, null, select, Conn), tenants.Child);

        var response = JsonAssert.AsJson((await ExpectPush("user:tenant:select:response")).Payload);
        Assert.True(response.GetProperty("success").GetBoolean());
        Assert.Equal("tenant-001", response.Text("tenantId"));
    }

    [Fact]
    public async Task ConnectionActor_must_ignore_a_tenant_verification_that_does_not_come_from_its_tenant_child()
    {
        var connection = StartConnection();
        await LogIn(connection);

        connection.Tell(new TenantActor.TenantVerified(Tenant1, null, new TenantSelectCall(Tenant1), Conn), TestActor);

        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Patients)));
        await ExpectError(ErrorCodes.NoTenantSelected, "patients:subscribe");
    }

    [Fact]
    public async Task ConnectionActor_must_start_one_child_per_feed_and_stop_it_on_unsubscribe()
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);

        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Patients) { RequestId = "sub" }));
        var started = await _children.ExpectMsgAsync<ForwardingChild.Started>(s => s.Kind == "Patients");
        var spec = (SubscriptionSpec)started.Spec;
        Assert.Equal(Tenant1, spec.Tenant);
        Assert.Equal("user-demo", spec.Session.UserId);
        Assert.Equal("sub", spec.RequestId);

        // Subscribing again refreshes the same child instead of starting a second one.
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Patients) { RequestId = "again" }));
        Assert.Equal("again", (await _children.ExpectMsgAsync<SubscriptionActor.Refresh>()).RequestId);

        connection.Tell(new SocketCall(Conn, new UnsubscribeCall(Feed.Patients) { RequestId = "unsub" }));
        // The feed is told why it ends (it refuses a subscribe it has not answered yet), then stops itself.
        Assert.Equal(ErrorCodes.Forbidden, (await _children.ExpectMsgAsync<SubscriptionActor.Cancel>()).Code);
        await _children.ExpectMsgAsync<ForwardingChild.Stopped>(s => s.Child.Equals(started.Child));
        var response = JsonAssert.AsJson((await ExpectPush("patients:unsubscribe:response")).Payload);
        Assert.True(response.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task ConnectionActor_must_stop_the_old_tenants_feeds_before_it_answers_a_switch()
    {
        var connection = StartConnection();
        var tenants = await LogInAndSelect(connection, Tenant1);
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Patients)));
        var patients = await _children.ExpectMsgAsync<ForwardingChild.Started>(s => s.Kind == "Patients");
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Dashboard)));
        var dashboard = await _children.ExpectMsgAsync<ForwardingChild.Started>(s => s.Kind == "Dashboard");

        var select = new TenantSelectCall(Tenant2) { RequestId = "switch" };
        connection.Tell(new SocketCall(Conn, select));
        await _children.ExpectMsgAsync<TenantActor.SelectTenant>();
        connection.Tell(new TenantActor.TenantVerified(Tenant2, null, select, Conn), tenants);

        // Both old feeds are gone before the browser hears that the switch is done.
        var stopped = new[]
        {
            await _children.FishForMessageAsync<ForwardingChild.Stopped>(_ => true),
            await _children.FishForMessageAsync<ForwardingChild.Stopped>(_ => true),
        }.Select(s => s.Child).ToHashSet();
        Assert.Equal([patients.Child, dashboard.Child], stopped);
        var response = JsonAssert.AsJson((await ExpectPush("user:tenant:select:response")).Payload);
        Assert.Equal("tenant-002", response.Text("tenantId"));

        // New feeds are for the new tenant.
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Patients)));
        var renewed = await _children.ExpectMsgAsync<ForwardingChild.Started>(s => s.Kind == "Patients");
        Assert.Equal(Tenant2, ((SubscriptionSpec)renewed.Spec).Tenant);
    }

    [Fact]
    public async Task ConnectionActor_must_keep_its_feeds_when_the_selected_tenant_is_selected_again()
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Claims)));
        await _children.ExpectMsgAsync<ForwardingChild.Started>(s => s.Kind == "Claims");

        connection.Tell(new SocketCall(Conn, new TenantSelectCall(Tenant1) { RequestId = "same" }));

        var response = JsonAssert.AsJson((await ExpectPush("user:tenant:select:response")).Payload);
        Assert.True(response.GetProperty("success").GetBoolean());
        _children.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task ConnectionActor_must_refuse_a_call_naming_another_tenant_than_the_selected_one()
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);

        connection.Tell(new SocketCall(Conn, new ClaimsListCall(SafeId.Parse<PatientId>("p-1")) { NamedTenant = Tenant2, RequestId = "x" }));

        await ExpectError(ErrorCodes.Forbidden, "claims:list", "x");
        var response = JsonAssert.AsJson((await ExpectPush("claims:list:response")).Payload);
        Assert.Equal(0, response.GetProperty("claims").GetArrayLength());
        _nats.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task ConnectionActor_must_view_a_patient_with_the_bearer_token_and_audit_the_read()
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);

        connection.Tell(new SocketCall(Conn, new PatientViewCall(SafeId.Parse<PatientId>("p-001-01")) { RequestId = "view" }));

        var audit = await _nats.ExpectMsgAsync<Published>();
        Assert.Equal(Subjects.AuditAccess, audit.Subject);
        Assert.Equal("patient", audit.Body.Text("resource"));
        Assert.Equal("p-001-01", audit.Body.Text("resourceId"));
        Assert.Equal("tenant-001", audit.Body.Text("tenantId"));
        Assert.Equal("user-demo", audit.Body.Text("userId"));

        var request = await _nats.ExpectMsgAsync<Requested>();
        Assert.Equal(Subjects.PatientGet, request.Subject);
        Assert.Equal("secret-token", request.Headers!.BearerToken);
        Assert.Equal("tenant-001", request.Body.Text("tenantId"));
        Assert.Equal("p-001-01", request.Body.Text("patientId"));
        request.Answer("""{"success":true,"patient":{"id":"p-001-01","firstName":"Ada"}}""");

        var response = JsonAssert.AsJson((await ExpectPush("patients:view:response")).Payload);
        Assert.True(response.GetProperty("success").GetBoolean());
        Assert.Equal("Ada", response.GetProperty("patient").Text("firstName"));
        Assert.Equal("view", response.Text("requestId"));
    }

    [Theory]
    [InlineData("not json", ErrorCodes.UpstreamError)]
    [InlineData("""{"claims":"nope"}""", ErrorCodes.UpstreamError)]
    [InlineData("[]", ErrorCodes.UpstreamError)]
    public async Task ConnectionActor_must_answer_upstream_error_for_a_malformed_service_reply(string reply, string code)
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);

        connection.Tell(new SocketCall(Conn, new ClaimsListCall(SafeId.Parse<PatientId>("p-1"))));
        await _nats.ExpectMsgAsync<Published>();
        (await _nats.ExpectMsgAsync<Requested>()).Reply.SetResult(NatsReply.Ok(Encoding.UTF8.GetBytes(reply)));

        await ExpectError(code, "claims:list");
    }

    [Fact]
    public async Task ConnectionActor_must_not_hand_an_answer_to_a_socket_that_switched_tenant_meanwhile()
    {
        var connection = StartConnection();
        var tenants = await LogInAndSelect(connection, Tenant1);
        connection.Tell(new SocketCall(Conn, new InsuranceListCall(SafeId.Parse<PatientId>("p-1"))));
        await _nats.ExpectMsgAsync<Published>();
        var request = await _nats.ExpectMsgAsync<Requested>();

        var select = new TenantSelectCall(Tenant2);
        connection.Tell(new SocketCall(Conn, select));
        await _children.ExpectMsgAsync<TenantActor.SelectTenant>();
        connection.Tell(new TenantActor.TenantVerified(Tenant2, null, select, Conn), tenants);
        await ExpectPush("user:tenant:select:response");

        request.Answer("""{"insurance":[{"id":"i-1","provider":"Acme"}]}""");

        await ExpectError(ErrorCodes.Forbidden, "insurance:list");
        var response = JsonAssert.AsJson((await ExpectPush("insurance:list:response")).Payload);
        Assert.Equal(0, response.GetProperty("insurance").GetArrayLength());
    }

    [Fact]
    public async Task ConnectionActor_must_revoke_the_token_on_logout_so_resume_refuses_it()
    {
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);

        connection.Tell(new SocketCall(Conn, new LogoutCall { RequestId = "bye" }));

        var revoked = await _nats.ExpectMsgAsync<Published>();
        Assert.Equal(Subjects.SessionRevoked, revoked.Subject);
        Assert.Equal(RevokedTokens.Hash("secret-token"), revoked.Body.Text("tokenHash"));
        var response = JsonAssert.AsJson((await ExpectPush("auth:logout:response")).Payload);
        Assert.True(response.GetProperty("success").GetBoolean());

        connection.Tell(new SocketCall(Conn, new ResumeCall("secret-token", null) { RequestId = "again" }));
        await ExpectError(ErrorCodes.Unauthenticated, "auth:resume", "again");
        connection.Tell(new SocketCall(Conn, new TenantsListCall()));
        await ExpectError(ErrorCodes.Unauthenticated, "user:tenants:list");
    }

    [Fact]
    public async Task ConnectionActor_must_resume_a_valid_token_as_a_fresh_session()
    {
        var connection = StartConnection();

        connection.Tell(new SocketCall(Conn, new ResumeCall("secret-token", new LastSeq(null, 4, null)) { RequestId = "res" }));

        var verify = await _nats.ExpectMsgAsync<Requested>();
        Assert.Equal(Subjects.AuthVerify, verify.Subject);
        Assert.Equal("secret-token", verify.Body.Text("token"));
        verify.Answer("""{"valid":true,"user_id":"user-demo","email":"demo@htpi.com","role":"customer","portal":"customer"}""");

        var response = JsonAssert.AsJson((await ExpectPush("auth:resume:response")).Payload);
        Assert.True(response.GetProperty("success").GetBoolean());
        Assert.Equal("user-demo", response.GetProperty("user").Text("id"));
        Assert.False(response.GetProperty("recovered").GetBoolean());
        Assert.False(response.TryGetProperty("tenantId", out _));
    }

    [Fact]
    public async Task ConnectionActor_must_refuse_resume_with_a_token_the_service_does_not_know()
    {
        var connection = StartConnection();
        connection.Tell(new SocketCall(Conn, new ResumeCall("forged", null)));

        (await _nats.ExpectMsgAsync<Requested>()).Answer("""{"valid":false,"error":"Invalid token"}""");

        await ExpectError(ErrorCodes.Unauthenticated, "auth:resume");
    }

    [Fact]
    public async Task ConnectionActor_must_push_connection_status_when_the_NATS_link_changes()
    {
        StartConnection();
        // PreStart subscribes to the event stream before it pushes `connected`.
        await ExpectPush(EventNames.Connected);

        Sys.EventStream.Publish(new NatsLinkChanged(NatsLink.Down));
        Assert.Equal("degraded", JsonAssert.AsJson((await ExpectPush(EventNames.ConnectionStatus)).Payload).Text("nats"));
        Sys.EventStream.Publish(new NatsLinkChanged(NatsLink.Up));
        Assert.Equal("ok", JsonAssert.AsJson((await ExpectPush(EventNames.ConnectionStatus)).Payload).Text("nats"));
    }

    [Fact]
    public async Task ConnectionActor_must_push_the_hubs_refusals_in_order_with_its_own()
    {
        var connection = StartConnection();

        connection.Tell(new SocketRejected(Conn, BrowserCallParser.TooLarge("patients:add", 70_000)));

        await ExpectError(ErrorCodes.PayloadTooLarge, "patients:add");
        var response = JsonAssert.AsJson((await ExpectPush("patients:add:response")).Payload);
        Assert.False(response.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task ConnectionActor_must_restart_a_feed_that_lost_NATS_after_its_backoff_with_a_fresh_snapshot()
    {
        var (connection, topics, feed) = await SubscribedWithRealChildren();

        // The link drops and comes back: the feed fails, and the connection actor starts it again itself.
        _gateway.SetLink(NatsLink.Down);
        Sys.EventStream.Publish(new NatsLinkChanged(NatsLink.Down));
        await topics.ExpectMsgAsync<TopicProtocol.Leave>(Wait);
        _gateway.SetLink(NatsLink.Up);
        Sys.EventStream.Publish(new NatsLinkChanged(NatsLink.Up));
        var restarted = await JoinAndServeSnapshot(topics);
        Assert.NotEqual(feed, restarted);
        Assert.Equal(feed.Path.Parent, restarted.Path.Parent); // no supervisor actor between them

        restarted.Tell(TopicEvents.Make(Subjects.Broadcast(Feed.Patients, Tenant1), 7, EventNames.PatientsNew, Json("""{"id":"p-new"}""")));
        var live = await ExpectPush(EventNames.PatientsNew);
        Assert.Equal(7, ((SeqInfo)live.Second!).Seq);
    }

    [Fact]
    public async Task ConnectionActor_must_stop_a_feed_for_good_on_a_protocol_fault_and_keep_the_socket_working()
    {
        var (connection, topics, feed) = await SubscribedWithRealChildren();

        // A broadcast of another tenant's subject is a routing bug: the child throws instead of pushing it,
        // and is not started again (it would only repeat the fault).
        feed.Tell(TopicEvents.Make(Subjects.Broadcast(Feed.Patients, Tenant2), 1, EventNames.PatientsNew, Json("""{"id":"p-x"}""")));
        await ExpectError(ErrorCodes.Internal, EventNames.PatientsSubscribe);
        await topics.ExpectMsgAsync<TopicProtocol.Leave>(Wait);
        await topics.ExpectNoMsgAsync(_settings.RestartBackoffMax * 2);
        Assert.DoesNotContain(_pushes.ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m), m => m is Pushed { EventName: EventNames.PatientsNew });

        // The socket carries on, and subscribing again starts a fresh feed.
        connection.Tell(new SocketCall(Conn, new ClaimGetCall(SafeId.Parse<ClaimId>("c-1")) { RequestId = "after" }));
        await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.ClaimsGet);
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Patients)));
        await JoinAndServeSnapshot(topics);
    }

    [Fact]
    public async Task ConnectionActor_must_have_its_tenant_child_list_in_the_trace_of_the_list_call()
    {
        using var spans = new SpanRecorder();
        var connection = StartConnection(new ConnectionChildren(_gateway, new ProbeBrowserPush(_pushes), CreateTestProbe("topics"), _settings));
        await LogIn(connection);
        var hub = SpanRecorder.NewCallContext();

        connection.Tell(new SocketCall(Conn, new TenantsListCall()) { Trace = hub });

        var published = await _nats.FishForMessageAsync<Published>(p => p.Subject == Subjects.TenantListForUser);
        await ExpectChildSpanOfCall(spans, published.Trace, hub, EventNames.TenantsList, PortalTracing.TenantList);
    }

    [Fact]
    public async Task ConnectionActor_must_have_its_tenant_child_verify_in_the_trace_of_the_select_call()
    {
        using var spans = new SpanRecorder();
        var connection = StartConnection(new ConnectionChildren(_gateway, new ProbeBrowserPush(_pushes), CreateTestProbe("topics"), _settings));
        await LogIn(connection);
        var hub = SpanRecorder.NewCallContext();

        connection.Tell(new SocketCall(Conn, new TenantSelectCall(Tenant1)) { Trace = hub });

        var verify = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.TenantVerifyAccess);
        await ExpectChildSpanOfCall(spans, verify.Trace, hub, EventNames.TenantSelect, PortalTracing.TenantVerify);
    }

    [Fact]
    public async Task ConnectionActor_must_have_its_feed_child_ask_the_snapshot_in_the_trace_of_the_subscribe_call()
    {
        using var spans = new SpanRecorder();
        var topics = CreateTestProbe("topics");
        var connection = StartConnection(new ConnectionChildren(_gateway, new ProbeBrowserPush(_pushes), topics, _settings));
        await LogIn(connection);
        await SelectWithRealTenantChild(connection, Tenant1);
        var hub = SpanRecorder.NewCallContext();

        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Patients)) { Trace = hub });
        var join = await topics.FishForMessageAsync<TopicProtocol.Join>(_ => true, Wait);
        join.Subscriber.Tell(new TopicProtocol.Joined(Subjects.Broadcast(join.Feed, join.Tenant), 0));

        var list = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.PatientList);
        await ExpectChildSpanOfCall(spans, list.Trace, hub, EventNames.PatientsSubscribe, PortalTracing.FeedSnapshot);
    }

    [Fact]
    public async Task ConnectionActor_must_replay_its_feeds_in_the_resume_calls_trace_when_the_session_moves()
    {
        using var spans = new SpanRecorder();
        var connection = StartConnection();
        await LogInAndSelect(connection, Tenant1);
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Claims)));
        await _children.ExpectMsgAsync<ForwardingChild.Started>(s => s.Kind == "Claims");
        var resume = SpanRecorder.NewCallContext();

        // The session moves to a new socket that saw claims up to 4: the feed replays in the resume's trace.
        var token = JsonAssert.AsJson(Json(LoginOk)).Text("token");
        connection.Tell(new Reattach("conn-new", new ResumeCall(token, new LastSeq(null, null, 4))) { Trace = resume });
        await AnswerTokenCheck();

        var replay = await _children.ExpectMsgAsync<SubscriptionActor.ResumeAfter>(Wait);
        Assert.Equal(4, replay.After);
        Assert.Equal(EventNames.AuthResume, (await spans.ChildOf(replay.Trace, resume)).OperationName);
    }

    [Fact]
    public async Task ConnectionActor_must_hand_the_hubs_trace_to_its_children_when_it_makes_no_span_itself()
    {
        // Nobody listens to the actors' spans here: the children still get the hub call's context.
        var connection = StartConnection();
        await LogIn(connection);
        var hub = SpanRecorder.NewCallContext();

        var select = new TenantSelectCall(Tenant1);
        connection.Tell(new SocketCall(Conn, select) { Trace = hub });
        var tenants = (await _children.ExpectMsgAsync<ForwardingChild.Started>(s => s.Kind == "tenants")).Child;
        Assert.Equal(hub, (await _children.ExpectMsgAsync<TenantActor.SelectTenant>()).Trace);
        connection.Tell(new TenantActor.TenantVerified(Tenant1, null, select, Conn), tenants);
        await ExpectPush("user:tenant:select:response");

        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Claims)) { Trace = hub });
        var started = await _children.ExpectMsgAsync<ForwardingChild.Started>(s => s.Kind == "Claims");
        Assert.Equal(hub, ((SubscriptionSpec)started.Spec).Trace);

        var again = SpanRecorder.NewCallContext();
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Claims)) { Trace = again });
        Assert.Equal(again, (await _children.ExpectMsgAsync<SubscriptionActor.Refresh>()).Trace);
    }

    [Fact]
    public async Task ConnectionActor_must_refuse_logins_after_too_many_failures_for_one_email_on_any_socket()
    {
        var limits = new AbuseLimits(new RateLimitSettings { FailedLoginsPerSocket = 10, FailedLoginsPerEmail = 2 });
        var first = StartConnection(sharedLimits: limits);
        for (var i = 0; i < 2; i++)
        {
            first.Tell(new SocketCall(Conn, new LoginCall("Demo@HTPI.com", "wrong")));
            await _nats.FishForMessageAsync<Published>(p => p.Subject == Subjects.AuthLogin);
            first.Tell(Reply(ClientReplyKind.Auth, """{"success":false,"error":"Invalid email or password"}"""));
            await ExpectError(ErrorCodes.Unauthenticated, "auth:login");
        }

        // Another socket, same email (other case): refused before anything is published.
        var second = StartConnection(sharedLimits: limits);
        second.Tell(new SocketCall(Conn, new LoginCall("demo@htpi.com", "demo123")));
        await ExpectError(ErrorCodes.RateLimited, "auth:login");
        _nats.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // Another email on the same socket still may log in.
        second.Tell(new SocketCall(Conn, new LoginCall("john@example.com", "password123")));
        await _nats.FishForMessageAsync<Published>(p => p.Subject == Subjects.AuthLogin);
    }

    [Fact]
    public async Task ConnectionActor_must_refuse_a_call_the_old_socket_sent_before_it_heard_the_session_moved()
    {
        var connection = StartConnection();
        await LogIn(connection);
        var token = JsonAssert.AsJson(Json(LoginOk)).Text("token");

        // The session moves to a new socket while the old one is still open.
        connection.Tell(new Reattach("conn-new", new ResumeCall(token, null) { RequestId = "res" }));
        await AnswerTokenCheck();
        var resumed = await _pushes.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(("conn-new", "auth:resume:response"), (resumed.ConnectionId, resumed.EventName));
        var notice = await _pushes.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal((Conn, EventNames.Error), (notice.ConnectionId, notice.EventName));

        // A call already on its way from the old socket is answered there, not served for the new one.
        connection.Tell(new SocketCall(Conn, new TenantsListCall { RequestId = "late" }));
        var refusal = await _pushes.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal((Conn, EventNames.Error), (refusal.ConnectionId, refusal.EventName));
        Assert.Equal(ErrorCodes.Unauthenticated, JsonAssert.AsJson(refusal.Payload).Text("code"));
        Assert.Equal("late", JsonAssert.AsJson(refusal.Payload).Text("requestId"));
        var failed = await _pushes.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal((Conn, "user:tenants:list:response"), (failed.ConnectionId, failed.EventName));
        await _pushes.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }
}
