using Akka.Actor;
using Akka.TestKit;
using Portal.Actors.Nats;
using Portal.Actors.Tenants;
using Portal.Actors.Tests.Fakes;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using static Portal.Actors.Nats.ClientReplyRouter;
using static Portal.Actors.Tests.Fakes.ProbeBrowserPush;
using static Portal.Actors.Tests.Fakes.ProbeNatsGateway;
using static Portal.Actors.Tests.Fakes.SpecData;

namespace Portal.Actors.Tests;

/// <summary>The tenant actor runs as a child of the test actor, so <c>TenantVerified</c> arrives at <c>TestActor</c>.</summary>
public sealed class TenantActorSpecs : PortalSpec
{
    private const string ConnectionId = "conn-1";

    private readonly TestProbe _nats;
    private readonly TestProbe _push;
    private readonly ProbeNatsGateway _gateway;

    public TenantActorSpecs()
    {
        _nats = CreateTestProbe("nats");
        _push = CreateTestProbe("push");
        _gateway = new ProbeNatsGateway(_nats.Ref);
    }

    [Fact]
    public async Task TenantActor_must_publish_the_tenant_list_request_with_the_sockets_reply_subject()
    {
        var tenants = await Start();

        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall { RequestId = "r1" }, ConnectionId));

        var published = await _nats.ExpectMsgAsync<Published>(Wait);
        Assert.Equal(Subjects.TenantListForUser, published.Subject);
        Assert.Equal("customer.tenants.response." + Client.Value, published.ReplyTo);
        Assert.Equal(Token, published.Headers?.BearerToken);
        Assert.Equal("user-1", published.Body.Text("userId"));
        Assert.Equal("demo@htpi.com", published.Body.Text("userEmail"));
        Assert.Equal(Client.Value, published.Body.Text("clientId"));
        Assert.Equal("customer", published.Body.Text("portal"));
        Assert.Equal("r1", published.Body.Text("requestId"));
    }

    [Fact]
    public async Task TenantActor_must_answer_the_list_with_the_tenants_of_the_reply()
    {
        var tenants = await Start();
        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall { RequestId = "r1" }, ConnectionId));
        await _nats.ExpectMsgAsync<Published>(Wait);

        tenants.Tell(TenantsReply("""{"success":true,"tenants":[{"id":"tenant-001","name":"Mercy General Hospital"},{"id":"tenant-002","name":"Springfield Clinic"}],"clientId":"x"}"""));

        var response = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(ConnectionId, response.ConnectionId);
        Assert.Equal("user:tenants:list:response", response.EventName);
        var json = JsonAssert.AsJson(response.Payload);
        Assert.Equal("r1", json.Text("requestId"));
        Assert.False(json.TryGetProperty("error", out _));
        Assert.Equal(["Mercy General Hospital", "Springfield Clinic"], json.GetProperty("tenants").EnumerateArray().Select(t => t.Text("name")));
        await _push.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task TenantActor_must_answer_two_list_calls_in_flight_with_one_request()
    {
        var tenants = await Start();
        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall { RequestId = "r1" }, ConnectionId));
        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall { RequestId = "r2" }, ConnectionId));
        await _nats.ExpectMsgAsync<Published>(Wait);
        await _nats.ExpectNoMsgAsync(Quiet);

        tenants.Tell(TenantsReply("""{"success":true,"tenants":[]}"""));

        Assert.Equal("r1", JsonAssert.AsJson((await _push.ExpectMsgAsync<Pushed>(Wait)).Payload).Text("requestId"));
        Assert.Equal("r2", JsonAssert.AsJson((await _push.ExpectMsgAsync<Pushed>(Wait)).Payload).Text("requestId"));
    }

    [Fact]
    public async Task TenantActor_must_refuse_the_list_with_service_unavailable_when_no_answer_comes_in_time()
    {
        var tenants = await Start(ActorSettings with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall { RequestId = "r1" }, ConnectionId));
        await _nats.ExpectMsgAsync<Published>(Wait);

        await ExpectListRefused("r1", ErrorCodes.ServiceUnavailable);

        // A late answer finds nobody waiting.
        tenants.Tell(TenantsReply("""{"success":true,"tenants":[]}"""));
        await _push.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task TenantActor_must_refuse_the_list_with_service_unavailable_on_no_responders()
    {
        var tenants = await Start();
        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall { RequestId = "r1" }, ConnectionId));
        await _nats.ExpectMsgAsync<Published>(Wait);

        tenants.Tell(new ClientReply(ClientReplyKind.Tenants, ReadOnlyMemory<byte>.Empty, NoResponders: true));

        await ExpectListRefused("r1", ErrorCodes.ServiceUnavailable);
    }

    [Fact]
    public async Task TenantActor_must_refuse_the_list_with_service_unavailable_when_the_publish_finds_the_link_down()
    {
        _gateway.PublishSucceeds = false;
        var tenants = await Start();

        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall { RequestId = "r1" }, ConnectionId));

        await ExpectListRefused("r1", ErrorCodes.ServiceUnavailable);
    }

    [Theory]
    [InlineData("""{"success":false,"error":"boom"}""")]
    [InlineData("""{"success":true}""")]
    [InlineData("not json")]
    public async Task TenantActor_must_refuse_the_list_with_upstream_error_when_the_reply_is_unusable(string reply)
    {
        var tenants = await Start();
        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall { RequestId = "r1" }, ConnectionId));
        await _nats.ExpectMsgAsync<Published>(Wait);

        tenants.Tell(TenantsReply(reply));

        await ExpectListRefused("r1", ErrorCodes.UpstreamError);
    }

    [Fact]
    public async Task TenantActor_must_ignore_an_auth_reply()
    {
        var tenants = await Start();
        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall { RequestId = "r1" }, ConnectionId));
        await _nats.ExpectMsgAsync<Published>(Wait);

        tenants.Tell(new ClientReply(ClientReplyKind.Auth, Utf8("""{"success":true,"tenants":[]}"""), false));

        await _push.ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task TenantActor_must_verify_access_before_a_select_and_tell_its_parent()
    {
        var tenants = await Start();
        var call = new TenantSelectCall(Tenant2) { RequestId = "s1" };

        tenants.Tell(new TenantActor.SelectTenant(call, ConnectionId));

        var request = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal(Subjects.TenantVerifyAccess, request.Subject);
        Assert.Equal("user-1", request.Body.Text("userId"));
        Assert.Equal("tenant-002", request.Body.Text("tenantId"));
        Assert.Equal(Token, request.Headers?.BearerToken);
        await ExpectNoMsgAsync(Quiet); // not before the answer

        request.Answer("""{"hasAccess":true,"userId":"user-1","tenantId":"tenant-002"}""");

        var verified = await ExpectMsgAsync<TenantActor.TenantVerified>(Wait);
        Assert.Equal(Tenant2, verified.TenantId);
        Assert.Same(call, verified.Call);
        Assert.Null(verified.Tenant); // never listed
        await _push.ExpectNoMsgAsync(Quiet); // the parent answers the browser
    }

    [Fact]
    public async Task TenantActor_must_still_hand_its_parent_a_select_verified_after_it_restarted()
    {
        var tenants = await ChildActorOfAsync(
            TenantActor.Props(new TenantSpec(ConnectionId, Client, Session()), _gateway, new ProbeBrowserPush(_push.Ref), ActorSettings),
            new OneForOneStrategy(_ => Directive.Restart));
        var call = new TenantSelectCall(Tenant2) { RequestId = "s1" };
        tenants.Tell(new TenantActor.SelectTenant(call, ConnectionId));
        var request = await _nats.ExpectMsgAsync<Requested>(Wait);

        // Restarted while the verify is out (the actor answers Identify once it runs again).
        tenants.Tell(Kill.Instance);
        await tenants.Ask<ActorIdentity>(new Identify(null), Wait);
        request.Answer("""{"hasAccess":true,"userId":"user-1","tenantId":"tenant-002"}""");

        Assert.Same(call, (await ExpectMsgAsync<TenantActor.TenantVerified>(Wait)).Call);
    }

    [Fact]
    public async Task TenantActor_must_hand_the_listed_details_of_a_verified_tenant_to_its_parent()
    {
        var tenants = await Start();
        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall(), ConnectionId));
        await _nats.ExpectMsgAsync<Published>(Wait);
        tenants.Tell(TenantsReply("""{"success":true,"tenants":[{"id":"tenant-001","name":"Mercy General Hospital"},{"id":"tenant-002","name":"Springfield Clinic"}]}"""));
        await _push.ExpectMsgAsync<Pushed>(Wait);

        tenants.Tell(new TenantActor.SelectTenant(new TenantSelectCall(Tenant2), ConnectionId));
        (await _nats.ExpectMsgAsync<Requested>(Wait)).Answer("""{"hasAccess":true,"userId":"user-1","tenantId":"tenant-002"}""");

        var verified = await ExpectMsgAsync<TenantActor.TenantVerified>(Wait);
        Assert.Equal("Springfield Clinic", verified.Tenant!.Value.Text("name"));
    }

    [Fact]
    public async Task TenantActor_must_refuse_a_select_with_forbidden_when_access_is_denied()
    {
        var tenants = await Start();
        tenants.Tell(new TenantActor.SelectTenant(new TenantSelectCall(Tenant2) { RequestId = "s1" }, ConnectionId));

        (await _nats.ExpectMsgAsync<Requested>(Wait)).Answer("""{"hasAccess":false,"userId":"user-1","tenantId":"tenant-002"}""");

        await ExpectSelectRefused("s1", ErrorCodes.Forbidden);
        await ExpectNoMsgAsync(Quiet); // the parent hears nothing: the socket keeps its tenant
    }

    [Theory]
    [InlineData("""{"hasAccess":true,"userId":"user-1","tenantId":"tenant-001"}""", ErrorCodes.UpstreamError)]
    [InlineData("""{"userId":"user-1","tenantId":"tenant-002"}""", ErrorCodes.UpstreamError)]
    [InlineData("""{"hasAccess":"yes"}""", ErrorCodes.UpstreamError)]
    [InlineData("not json", ErrorCodes.UpstreamError)]
    public async Task TenantActor_must_never_select_on_an_unclear_access_answer(string reply, string code)
    {
        var tenants = await Start();
        tenants.Tell(new TenantActor.SelectTenant(new TenantSelectCall(Tenant2) { RequestId = "s1" }, ConnectionId));

        (await _nats.ExpectMsgAsync<Requested>(Wait)).Reply.SetResult(NatsReply.Ok(Utf8(reply)));

        await ExpectSelectRefused("s1", code);
        await ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task TenantActor_must_refuse_a_select_with_service_unavailable_when_the_verify_fails()
    {
        var tenants = await Start();
        tenants.Tell(new TenantActor.SelectTenant(new TenantSelectCall(Tenant2) { RequestId = "s1" }, ConnectionId));

        (await _nats.ExpectMsgAsync<Requested>(Wait)).Reply.SetResult(NatsReply.TimedOut);

        await ExpectSelectRefused("s1", ErrorCodes.ServiceUnavailable);
        await ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task TenantActor_must_verify_two_selects_one_after_the_other_in_order()
    {
        var tenants = await Start();
        var first = new TenantSelectCall(Tenant1) { RequestId = "s1" };
        var second = new TenantSelectCall(Tenant2) { RequestId = "s2" };
        tenants.Tell(new TenantActor.SelectTenant(first, ConnectionId));
        tenants.Tell(new TenantActor.SelectTenant(second, ConnectionId));

        var firstRequest = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal("tenant-001", firstRequest.Body.Text("tenantId"));
        await _nats.ExpectNoMsgAsync(Quiet); // the second waits for the first answer

        firstRequest.Answer("""{"hasAccess":true,"userId":"user-1","tenantId":"tenant-001"}""");
        Assert.Same(first, (await ExpectMsgAsync<TenantActor.TenantVerified>(Wait)).Call);

        var secondRequest = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal("tenant-002", secondRequest.Body.Text("tenantId"));
        secondRequest.Answer("""{"hasAccess":true,"userId":"user-1","tenantId":"tenant-002"}""");
        Assert.Same(second, (await ExpectMsgAsync<TenantActor.TenantVerified>(Wait)).Call);
    }

    [Fact]
    public async Task TenantActor_must_keep_listing_while_a_select_is_being_verified()
    {
        var tenants = await Start();
        tenants.Tell(new TenantActor.SelectTenant(new TenantSelectCall(Tenant2) { RequestId = "s1" }, ConnectionId));
        var verify = await _nats.ExpectMsgAsync<Requested>(Wait);

        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall { RequestId = "r1" }, ConnectionId));
        await _nats.ExpectMsgAsync<Published>(Wait);
        tenants.Tell(TenantsReply("""{"success":true,"tenants":[]}"""));
        Assert.Equal("user:tenants:list:response", (await _push.ExpectMsgAsync<Pushed>(Wait)).EventName);

        verify.Answer("""{"hasAccess":true}""");
        Assert.Equal(Tenant2, (await ExpectMsgAsync<TenantActor.TenantVerified>(Wait)).TenantId);
    }

    [Fact]
    public async Task TenantActor_must_verify_access_in_a_span_under_the_select_calls_trace()
    {
        using var spans = new SpanRecorder();
        var caller = SpanRecorder.NewCallContext();
        var tenants = await Start();

        tenants.Tell(new TenantActor.SelectTenant(new TenantSelectCall(Tenant2), ConnectionId) { Trace = caller });

        var request = await _nats.ExpectMsgAsync<Requested>(Wait);
        var span = await spans.ChildOf(request.Trace, caller);
        Assert.Equal(PortalTracing.TenantVerify, span.OperationName);
    }

    [Fact]
    public async Task TenantActor_must_publish_the_list_request_in_a_span_under_the_list_calls_trace()
    {
        using var spans = new SpanRecorder();
        var caller = SpanRecorder.NewCallContext();
        var tenants = await Start();

        tenants.Tell(new TenantActor.ListTenants(new TenantsListCall(), ConnectionId) { Trace = caller });

        var published = await _nats.ExpectMsgAsync<Published>(Wait);
        var span = await spans.ChildOf(published.Trace, caller);
        Assert.Equal(PortalTracing.TenantList, span.OperationName);
    }

    [Fact]
    public async Task TenantActor_must_keep_each_selects_trace_while_it_waits_behind_another()
    {
        using var spans = new SpanRecorder();
        var (one, two) = (SpanRecorder.NewCallContext(), SpanRecorder.NewCallContext());
        var tenants = await Start();

        tenants.Tell(new TenantActor.SelectTenant(new TenantSelectCall(Tenant1), ConnectionId) { Trace = one });
        tenants.Tell(new TenantActor.SelectTenant(new TenantSelectCall(Tenant2), ConnectionId) { Trace = two });

        var first = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal(one.TraceId, first.Trace.TraceId);
        first.Answer("""{"hasAccess":true,"userId":"user-1","tenantId":"tenant-001"}""");
        var second = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal("tenant-002", second.Body.Text("tenantId"));
        Assert.Equal(two.TraceId, second.Trace.TraceId);
    }

    [Fact]
    public async Task TenantActor_must_make_no_span_for_a_call_that_carries_no_trace()
    {
        using var spans = new SpanRecorder();
        var tenants = await Start();

        tenants.Tell(new TenantActor.SelectTenant(new TenantSelectCall(Tenant2), ConnectionId));

        var request = await _nats.ExpectMsgAsync<Requested>(Wait);
        Assert.Equal(default, request.Trace);
    }

    private Task<IActorRef> Start(PortalActorSettings? settings = null) =>
        ChildActorOfAsync(TenantActor.Props(
            new TenantSpec(ConnectionId, Client, Session()), _gateway, new ProbeBrowserPush(_push.Ref), settings ?? ActorSettings));

    private static ClientReply TenantsReply(string json) => new(ClientReplyKind.Tenants, Utf8(json), NoResponders: false);

    private async Task ExpectListRefused(string requestId, string code)
    {
        var error = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(EventNames.Error, error.EventName);
        var errorJson = JsonAssert.AsJson(error.Payload);
        Assert.Equal(code, errorJson.Text("code"));
        Assert.Equal(EventNames.TenantsList, errorJson.Text("method"));
        Assert.Equal(requestId, errorJson.Text("requestId"));

        var response = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal("user:tenants:list:response", response.EventName);
        var responseJson = JsonAssert.AsJson(response.Payload);
        Assert.Equal(0, responseJson.GetProperty("tenants").GetArrayLength());
        Assert.Equal(errorJson.Text("message"), responseJson.Text("error"));
        Assert.Equal(requestId, responseJson.Text("requestId"));
    }

    private async Task ExpectSelectRefused(string requestId, string code)
    {
        var error = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal(EventNames.Error, error.EventName);
        var errorJson = JsonAssert.AsJson(error.Payload);
        Assert.Equal(code, errorJson.Text("code"));
        Assert.Equal(EventNames.TenantSelect, errorJson.Text("method"));
        Assert.Equal(requestId, errorJson.Text("requestId"));

        var response = await _push.ExpectMsgAsync<Pushed>(Wait);
        Assert.Equal("user:tenant:select:response", response.EventName);
        var responseJson = JsonAssert.AsJson(response.Payload);
        Assert.False(responseJson.GetProperty("success").GetBoolean());
        Assert.Equal("tenant-002", responseJson.Text("tenantId"));
        Assert.Equal(requestId, responseJson.Text("requestId"));
    }
}
