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

/// <summary>What the connection actor's specs share: probes for NATS, pushes, the reply router and the children, and the steps to a state.</summary>
public abstract class ConnectionActorSpecBase : PortalSpec
{
    protected const string Conn = "conn-1";
    protected const string LoginOk =
        """{"success":true,"clientId":"x","user":{"id":"user-demo","email":"demo@htpi.com","name":"Demo","role":"customer","tenants":["tenant-001","tenant-002"]},"token":"secret-token"}""";

    /// <summary>The auth service's answer for a token it still accepts.</summary>
    protected const string TokenValid = """{"valid":true,"user_id":"user-demo","email":"demo@htpi.com","role":"customer","portal":"customer"}""";

    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    protected readonly TestProbe _nats;
    protected readonly TestProbe _pushes;
    protected readonly TestProbe _router;
    protected readonly TestProbe _children;
    protected readonly ProbeNatsGateway _gateway;
    protected readonly RevokedTokens _revoked = new();
    protected readonly PortalActorSettings _settings;

    /// <param name="requestTimeout">How long a request (and a resume's replay) may take: short, so that timeout specs run fast.</param>
    protected ConnectionActorSpecBase(TimeSpan? requestTimeout = null)
        : base("akka.loglevel = WARNING\n" + CompactMailboxConfig.Hocon)
    {
        _settings = PortalActorSettings.Default with
        {
            RequestTimeout = requestTimeout ?? TimeSpan.FromMilliseconds(700),
            RestartBackoffMin = TimeSpan.FromMilliseconds(100),
            RestartBackoffMax = TimeSpan.FromMilliseconds(400),
        };
        _nats = CreateTestProbe("nats");
        _pushes = CreateTestProbe("pushes");
        _router = CreateTestProbe("router");
        _children = CreateTestProbe("children");
        _gateway = new ProbeNatsGateway(_nats);
    }

    protected static readonly TenantId Tenant1 = SafeId.Parse<TenantId>("tenant-001");
    protected static readonly TenantId Tenant2 = SafeId.Parse<TenantId>("tenant-002");

    protected IActorRef StartConnection(IConnectionChildren? children = null, RateLimitSettings? limits = null, AbuseLimits? sharedLimits = null) =>
        Sys.ActorOf(ConnectionActor.Props(
            Conn,
            new ConnectionDependencies(
                _gateway,
                new ProbeBrowserPush(_pushes),
                _router,
                _revoked,
                children ?? new ProbeChildren(_children),
                _settings,
                sharedLimits ?? new AbuseLimits(limits ?? RateLimitSettings.Default))));

    protected static ClientReply Reply(ClientReplyKind kind, string json) => new(kind, Encoding.UTF8.GetBytes(json), NoResponders: false);

    protected static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    protected async Task LogIn(IActorRef connection)
    {
        connection.Tell(new SocketCall(Conn, new LoginCall("demo@htpi.com", "demo123")));
        await _nats.FishForMessageAsync<Published>(p => p.Subject == Subjects.AuthLogin);
        connection.Tell(Reply(ClientReplyKind.Auth, LoginOk));
        await ExpectPush("auth:login:response");
    }

    /// <summary>Logs in and selects with stand-in children; returns the tenant child.</summary>
    protected async Task<IActorRef> LogInAndSelect(IActorRef connection, TenantId tenant)
    {
        await LogIn(connection);
        var select = new TenantSelectCall(tenant);
        connection.Tell(new SocketCall(Conn, select));
        var tenants = (await _children.ExpectMsgAsync<ForwardingChild.Started>(s => s.Kind == "tenants")).Child;
        await _children.ExpectMsgAsync<TenantActor.SelectTenant>();
        connection.Tell(new TenantActor.TenantVerified(tenant, null, select, Conn), tenants);
        await ExpectPush("user:tenant:select:response");
        return tenants;
    }

    protected async Task SelectWithRealTenantChild(IActorRef connection, TenantId tenant)
    {
        connection.Tell(new SocketCall(Conn, new TenantSelectCall(tenant)));
        var verify = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.TenantVerifyAccess);
        verify.Answer($$"""{"hasAccess":true,"userId":"user-demo","tenantId":"{{tenant.Value}}"}""");
        await ExpectPush("user:tenant:select:response");
    }

    /// <summary>Plays the auth service's answer to the token check a resume makes before it moves a session.</summary>
    protected async Task AnswerTokenCheck(bool valid = true)
    {
        var verify = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.AuthVerify, Wait);
        verify.Answer(valid ? TokenValid : """{"valid":false,"error":"expired"}""");
    }

    /// <summary>A connection actor with its real children, logged in on tenant-001 with a live patients feed.</summary>
    protected async Task<(IActorRef Connection, TestProbe Topics, IActorRef Feed)> SubscribedWithRealChildren()
    {
        var topics = CreateTestProbe("topics");
        var connection = StartConnection(new ConnectionChildren(_gateway, new ProbeBrowserPush(_pushes), topics, _settings));
        await LogIn(connection);
        await SelectWithRealTenantChild(connection, Tenant1);
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Patients)));
        return (connection, topics, await JoinAndServeSnapshot(topics));
    }

    /// <summary>Plays the topic and the patient service for a feed child; returns the child.</summary>
    protected async Task<IActorRef> JoinAndServeSnapshot(TestProbe topics)
    {
        var join = await topics.FishForMessageAsync<TopicProtocol.Join>(_ => true, Wait);
        join.Subscriber.Tell(new TopicProtocol.Joined(Subjects.Broadcast(join.Feed, join.Tenant), 0));
        var list = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.PatientList);
        list.Answer("""{"patients":[{"id":"p-001-01"}]}""");
        await ExpectPush(EventNames.PatientsListed);
        return join.Subscriber;
    }

    /// <summary>
    /// The child's request was made in the child's span, under the connection actor's span for the
    /// call, under the hub's: one trace from the browser's call to the request NATS carries on.
    /// </summary>
    protected static async Task ExpectChildSpanOfCall(
        SpanRecorder spans, System.Diagnostics.ActivityContext request, System.Diagnostics.ActivityContext hub, string method, string childSpan)
    {
        Assert.Equal(hub.TraceId, request.TraceId);
        var child = await spans.Span(request.SpanId);
        Assert.Equal(childSpan, child.OperationName);
        var call = await spans.Span(child.ParentSpanId);
        Assert.Equal(method, call.OperationName);
        Assert.Equal(hub.SpanId, call.ParentSpanId);
    }

    protected Task<Pushed> ExpectPush(string eventName) =>
        _pushes.FishForMessageAsync<Pushed>(p => p.EventName == eventName, Wait).AsTask();

    protected async Task ExpectError(string code, string method, string? requestId = null)
    {
        var error = JsonAssert.AsJson((await ExpectPush(EventNames.Error)).Payload);
        Assert.Equal(code, error.Text("code"));
        Assert.Equal(method, error.Text("method"));
        if (requestId is not null)
        {
            Assert.Equal(requestId, error.Text("requestId"));
        }
    }
}
