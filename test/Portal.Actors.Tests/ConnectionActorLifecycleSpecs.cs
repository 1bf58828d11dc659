using Akka.Actor;
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
/// Every state of the connection actor × every lifecycle message: the socket dropped, a reattach, a
/// revocation, a NATS link change and a child that stopped. Each row drives the actor into the state
/// with probes, sends the message, and checks what the state does with it: serves it now, or keeps it
/// for the state that serves it. The states without a session have no children, and neither has
/// RestoringTenant (its feeds start when it ends), so they have no child-stopped row.
/// </summary>
public sealed class ConnectionActorLifecycleSpecs : ConnectionActorSpecBase
{
    private const string Token = "secret-token";
    private const string NewConn = "conn-2";
    private const string ThirdConn = "conn-3";

    // No row waits for a timeout; a loaded machine must not let the replay's wait run out mid-row.
    public ConnectionActorLifecycleSpecs()
        : base(requestTimeout: TimeSpan.FromSeconds(5))
    {
    }

    public static TheoryData<string, string> Table => new()
    {
        { "Anonymous", "Detached" }, { "Anonymous", "Reattach" }, { "Anonymous", "Revoked" }, { "Anonymous", "NatsLinkChanged" },
        { "LoggingIn", "Detached" }, { "LoggingIn", "Reattach" }, { "LoggingIn", "Revoked" }, { "LoggingIn", "NatsLinkChanged" },
        { "VerifyingToken", "Detached" }, { "VerifyingToken", "Reattach" }, { "VerifyingToken", "Revoked" }, { "VerifyingToken", "NatsLinkChanged" },
        { "RestoringTenant", "Detached" }, { "RestoringTenant", "Reattach" }, { "RestoringTenant", "Revoked" }, { "RestoringTenant", "NatsLinkChanged" },
        { "Ready", "Detached" }, { "Ready", "Reattach" }, { "Ready", "Revoked" }, { "Ready", "NatsLinkChanged" }, { "Ready", "ChildStopped" },
        { "Held", "Detached" }, { "Held", "Reattach" }, { "Held", "Revoked" }, { "Held", "NatsLinkChanged" }, { "Held", "ChildStopped" },
        { "StoppingChildren", "Detached" }, { "StoppingChildren", "Reattach" }, { "StoppingChildren", "Revoked" },
        { "StoppingChildren", "NatsLinkChanged" }, { "StoppingChildren", "ChildStopped" },
        { "VerifyingReattach", "Detached" }, { "VerifyingReattach", "Reattach" }, { "VerifyingReattach", "Revoked" },
        { "VerifyingReattach", "NatsLinkChanged" }, { "VerifyingReattach", "ChildStopped" },
        { "Replaying", "Detached" }, { "Replaying", "Reattach" }, { "Replaying", "Revoked" }, { "Replaying", "NatsLinkChanged" }, { "Replaying", "ChildStopped" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task ConnectionActor_must_handle_each_lifecycle_message_in_each_state(string state, string message)
    {
        // In StoppingChildren the old tenant's feed holds its stop until the row lets it go.
        var connection = StartConnection(state == "StoppingChildren" ? new ProbeChildren(_children, holdFeedStops: true) : null);
        Watch(connection);
        await ExpectPush(EventNames.Connected);
        var feed = await Enter(connection, state);

        switch (state, message)
        {
            // ---- No session: nothing to hold, move or end ----
            case (_, "Detached") when feed is null && state != "RestoringTenant":
                connection.Tell(new Detached(Conn));
                await ExpectTerminatedAsync(connection, Wait);
                break;
            case (_, "Reattach") when feed is null && state != "RestoringTenant":
                connection.Tell(new Reattach(NewConn, new ResumeCall(Token, null)));
                Assert.Equal(NewConn, (await ExpectMsgAsync<ReattachRefused>(Wait)).ConnectionId);
                await FinishEntered(connection, state);
                break;
            case (_, "Revoked") when feed is null && state != "RestoringTenant":
                connection.Tell(Revoked.Instance);
                await _pushes.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
                await FinishEntered(connection, state);
                break;
            case (_, "NatsLinkChanged") when feed is null && state != "RestoringTenant":
                connection.Tell(new NatsLinkChanged(NatsLink.Down));
                Assert.Equal(ConnectionStatusPush.Degraded, ((ConnectionStatusPush)(await ExpectPush(EventNames.ConnectionStatus)).Payload).Nats);
                await FinishEntered(connection, state);
                break;

            // ---- RestoringTenant (a fresh resume's tenant-001 is being checked): kept until the resume is answered ----
            case ("RestoringTenant", "Detached"):
                connection.Tell(new Detached(Conn));
                await ExpectNoPushAsync();
                await GrantTheRestoredTenant();
                await ExpectResumedOn(connection, NewConn, "tenant-001", ["patients"]);
                break;
            case ("RestoringTenant", "Reattach"):
                connection.Tell(new Reattach(NewConn, new ResumeCall(Token, null)));
                await ExpectNoPushAsync();
                await GrantTheRestoredTenant();
                await AnswerTokenCheck();
                Assert.Equal("tenant-001", (await ExpectResumeAnswer(NewConn)).TenantId);
                break;
            case ("RestoringTenant", "Revoked"):
                connection.Tell(Revoked.Instance);
                await ExpectNoPushAsync();
                await GrantTheRestoredTenant();
                await ExpectLoggedOutNotice(Conn);
                break;
            case ("RestoringTenant", "NatsLinkChanged"):
                connection.Tell(new NatsLinkChanged(NatsLink.Down));
                Assert.Equal((Conn, EventNames.ConnectionStatus), await NextPush());
                await GrantTheRestoredTenant();
                break;

            // ---- Ready: served now ----
            case ("Ready", "Detached"):
                connection.Tell(new Detached(Conn));
                await ExpectNoPushAsync();
                await ExpectResumedOn(connection, NewConn, "tenant-001", ["patients"]);
                break;
            case ("Ready", "Reattach"):
                await ExpectResumedOn(connection, NewConn, "tenant-001", ["patients"]);
                await ExpectLoggedOutNotice(Conn);
                break;
            case ("Ready", "Revoked"):
                connection.Tell(Revoked.Instance);
                await _children.FishForMessageAsync<ForwardingChild.Stopped>(s => s.Child.Equals(feed), Wait);
                await ExpectLoggedOutNotice(Conn);
                connection.Tell(new SocketCall(Conn, new PatientViewCall(SafeId.Parse<PatientId>("p-1"))));
                await ExpectError(ErrorCodes.Unauthenticated, EventNames.PatientsView);
                break;
            case ("Ready", "NatsLinkChanged"):
                connection.Tell(new NatsLinkChanged(NatsLink.Down));
                await ExpectPush(EventNames.ConnectionStatus);
                break;
            case ("Ready", "ChildStopped"):
                Sys.Stop(feed);
                await ExpectError(ErrorCodes.Internal, EventNames.PatientsSubscribe);
                break;

            // ---- Held: no socket to tell ----
            case ("Held", "Detached"):
                connection.Tell(new Detached(Conn)); // the socket it had closes again: already held
                await ExpectNoPushAsync();
                await ExpectResumedOn(connection, NewConn, "tenant-001", ["patients"]);
                break;
            case ("Held", "Reattach"):
                await ExpectResumedOn(connection, NewConn, "tenant-001", ["patients"]);
                break;
            case ("Held", "Revoked"):
                connection.Tell(Revoked.Instance);
                await _children.FishForMessageAsync<ForwardingChild.Stopped>(s => s.Child.Equals(feed), Wait);
                await ExpectTerminatedAsync(connection, Wait);
                await ExpectNoPushAsync();
                break;
            case ("Held", "NatsLinkChanged"):
                connection.Tell(new NatsLinkChanged(NatsLink.Down));
                await ExpectNoPushAsync();
                await ExpectResumedOn(connection, NewConn, "tenant-001", ["patients"]);
                break;
            case ("Held", "ChildStopped"):
                Sys.Stop(feed);
                await ExpectNoPushAsync();
                await ExpectResumedOn(connection, NewConn, "tenant-001", []);
                break;

            // ---- StoppingChildren (a switch to tenant-002 waits for the old feed): kept for the state after it ----
            case ("StoppingChildren", "Detached"):
                connection.Tell(new Detached(Conn));
                await ExpectNoPushAsync();
                await LetTheOldFeedGo(feed);
                await ExpectResumedOn(connection, NewConn, "tenant-002", []);
                break;
            case ("StoppingChildren", "Reattach"):
                connection.Tell(new Reattach(NewConn, new ResumeCall(Token, null)));
                await ExpectNoPushAsync();
                await LetTheOldFeedGo(feed);
                await AnswerTokenCheck();
                Assert.Equal("tenant-002", (await ExpectResumeAnswer(NewConn)).TenantId);
                await ExpectLoggedOutNotice(Conn);
                break;
            case ("StoppingChildren", "Revoked"):
                connection.Tell(Revoked.Instance);
                await ExpectNoPushAsync();
                await LetTheOldFeedGo(feed);
                await ExpectLoggedOutNotice(Conn);
                break;
            case ("StoppingChildren", "NatsLinkChanged"):
                connection.Tell(new NatsLinkChanged(NatsLink.Down));
                Assert.Equal((Conn, EventNames.ConnectionStatus), await NextPush());
                await LetTheOldFeedGo(feed);
                break;
            case ("StoppingChildren", "ChildStopped"):
                Sys.Stop(_tenantsChild); // not one of the children it waits for
                await ExpectNoPushAsync();
                await LetTheOldFeedGo(feed);
                connection.Tell(new SocketCall(Conn, new TenantsListCall()));
                await _children.FishForMessageAsync<ForwardingChild.Started>(s => s.Kind == "tenants", Wait); // made again when needed
                break;

            // ---- VerifyingReattach (a held session's token is being checked for a resume on NewConn): kept until it is answered ----
            case ("VerifyingReattach", "Detached"):
                connection.Tell(new Detached(Conn));
                await ExpectNoPushAsync();
                AnswerPendingTokenCheck();
                Assert.Equal(["patients"], (await ExpectResumeAnswer(NewConn)).Subscriptions);
                break;
            case ("VerifyingReattach", "Reattach"):
                connection.Tell(new Reattach(ThirdConn, new ResumeCall(Token, null)));
                await ExpectNoPushAsync();
                AnswerPendingTokenCheck();
                await ExpectResumeAnswer(NewConn);
                await AnswerTokenCheck();
                await ExpectResumeAnswer(ThirdConn);
                await ExpectLoggedOutNotice(NewConn);
                break;
            case ("VerifyingReattach", "Revoked"):
                connection.Tell(Revoked.Instance);
                await ExpectNoPushAsync();
                AnswerPendingTokenCheck();
                await ExpectResumeAnswer(NewConn);
                await ExpectLoggedOutNotice(NewConn);
                break;
            case ("VerifyingReattach", "NatsLinkChanged"):
                connection.Tell(new NatsLinkChanged(NatsLink.Down));
                await ExpectNoPushAsync(); // held: no socket yet
                AnswerPendingTokenCheck();
                await ExpectResumeAnswer(NewConn);
                break;
            case ("VerifyingReattach", "ChildStopped"):
                Sys.Stop(feed);
                await ExpectNoPushAsync();
                AnswerPendingTokenCheck();
                Assert.Empty((await ExpectResumeAnswer(NewConn)).Subscriptions!);
                break;

            // ---- Replaying: kept until the resume is answered, except what the socket must know now ----
            case ("Replaying", "Detached"):
                connection.Tell(new Detached(NewConn));
                await ExpectNoPushAsync();
                connection.Tell(new SubscriptionActor.Resumed(Feed.Patients, true));
                Assert.True(await ExpectResumeAnswer(NewConn) is { Recovered: true });
                await ExpectResumedOn(connection, ThirdConn, "tenant-001", ["patients"]);
                break;
            case ("Replaying", "Reattach"):
                connection.Tell(new Reattach(ThirdConn, new ResumeCall(Token, null)));
                await ExpectNoPushAsync();
                connection.Tell(new SubscriptionActor.Resumed(Feed.Patients, true));
                Assert.True(await ExpectResumeAnswer(NewConn) is { Recovered: true });
                await AnswerTokenCheck();
                Assert.Equal("tenant-001", (await ExpectResumeAnswer(ThirdConn)).TenantId);
                await ExpectLoggedOutNotice(NewConn);
                break;
            case ("Replaying", "Revoked"):
                connection.Tell(Revoked.Instance);
                await ExpectNoPushAsync();
                connection.Tell(new SubscriptionActor.Resumed(Feed.Patients, true));
                await ExpectResumeAnswer(NewConn);
                await ExpectLoggedOutNotice(NewConn);
                break;
            case ("Replaying", "NatsLinkChanged"):
                connection.Tell(new NatsLinkChanged(NatsLink.Down));
                Assert.Equal((NewConn, EventNames.ConnectionStatus), await NextPush());
                connection.Tell(new SubscriptionActor.Resumed(Feed.Patients, true));
                await ExpectResumeAnswer(NewConn);
                break;
            case ("Replaying", "ChildStopped"):
                Sys.Stop(feed);
                Assert.True(await ExpectResumeAnswer(NewConn) is { Recovered: false });
                await ExpectError(ErrorCodes.Internal, EventNames.PatientsSubscribe);
                break;

            default:
                throw new ArgumentException($"no row for {state} × {message}");
        }
    }

    /// <summary>Drives a fresh connection actor into <paramref name="state"/>; returns its patients feed child, if the state has a session.</summary>
    private async Task<IActorRef?> Enter(IActorRef connection, string state)
    {
        switch (state)
        {
            case "Anonymous":
                return null;
            case "LoggingIn":
                connection.Tell(new SocketCall(Conn, new LoginCall("demo@htpi.com", "demo123")));
                await _nats.FishForMessageAsync<Published>(p => p.Subject == Subjects.AuthLogin, Wait);
                return null;
            case "VerifyingToken":
                connection.Tell(new SocketCall(Conn, new ResumeCall(Token, null)));
                _verify = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.AuthVerify, Wait);
                return null;
            case "RestoringTenant":
                connection.Tell(new SocketCall(Conn, new ResumeCall(Token, null) { NamedTenant = Tenant1, Subscriptions = [Feed.Patients] }));
                await AnswerTokenCheck();
                _access = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.TenantVerifyAccess, Wait);
                return null;
        }

        _tenantsChild = await LogInAndSelect(connection, Tenant1);
        connection.Tell(new SocketCall(Conn, new SubscribeCall(Feed.Patients)));
        var feed = (await _children.FishForMessageAsync<ForwardingChild.Started>(s => s.Kind == "Patients", Wait)).Child;
        switch (state)
        {
            case "StoppingChildren":
                var select = new TenantSelectCall(Tenant2);
                connection.Tell(new SocketCall(Conn, select));
                await _children.FishForMessageAsync<TenantActor.SelectTenant>(_ => true, Wait);
                connection.Tell(new TenantActor.TenantVerified(Tenant2, null, select, Conn), _tenantsChild);
                Assert.Equal(ErrorCodes.Forbidden, (await _children.FishForMessageAsync<SubscriptionActor.Cancel>(_ => true, Wait)).Code);
                break;
            case "Held":
                connection.Tell(new Detached(Conn));
                break;
            case "VerifyingReattach":
                connection.Tell(new Detached(Conn));
                connection.Tell(new Reattach(NewConn, new ResumeCall(Token, null)));
                _tokenCheck = await _nats.FishForMessageAsync<Requested>(r => r.Subject == Subjects.AuthVerify, Wait);
                break;
            case "Replaying":
                connection.Tell(new Reattach(NewConn, new ResumeCall(Token, new LastSeq(null, 3, null))));
                await AnswerTokenCheck();
                await _children.FishForMessageAsync<SubscriptionActor.ResumeAfter>(_ => true, Wait);
                await ExpectLoggedOutNotice(Conn);
                break;
        }

        return feed;
    }

    private Requested? _verify;
    private Requested? _tokenCheck;
    private Requested? _access;

    /// <summary>The tenant service grants the tenant the fresh resume named: the resume is answered with it, then its feed starts.</summary>
    private async Task GrantTheRestoredTenant()
    {
        _access!.Answer("""{"hasAccess":true,"userId":"user-demo","tenantId":"tenant-001"}""");
        var answer = await ExpectResumeAnswer(Conn);
        Assert.Equal("tenant-001", answer.TenantId);
        Assert.Equal(["patients"], answer.Subscriptions);
        await _children.FishForMessageAsync<ForwardingChild.Started>(s => s.Kind == "Patients", Wait);
    }

    /// <summary>The token check the resume that entered VerifyingReattach asked for: the token holds.</summary>
    private void AnswerPendingTokenCheck() => _tokenCheck!.Answer(TokenValid);
    private IActorRef _tenantsChild = ActorRefs.Nobody;

    /// <summary>The old tenant's feed stops: the switch is answered on the socket that asked.</summary>
    private async Task LetTheOldFeedGo(IActorRef? feed)
    {
        feed!.Tell(ForwardingChild.StopNow.Instance);
        var answer = await _pushes.FishForMessageAsync<Pushed>(p => p.EventName == EventNames.ResponseOf(EventNames.TenantSelect), Wait);
        Assert.Equal((Conn, "tenant-002"), (answer.ConnectionId, ((TenantSelectResponse)answer.Payload).TenantId));
    }

    /// <summary>The state without a session still does its own work after the lifecycle message.</summary>
    private async Task FinishEntered(IActorRef connection, string state)
    {
        switch (state)
        {
            case "Anonymous":
                connection.Tell(new SocketCall(Conn, new LoginCall("demo@htpi.com", "demo123")));
                await _nats.FishForMessageAsync<Published>(p => p.Subject == Subjects.AuthLogin, Wait);
                break;
            case "LoggingIn":
                connection.Tell(Reply(ClientReplyKind.Auth, LoginOk));
                await ExpectPush(EventNames.ResponseOf(EventNames.AuthLogin));
                break;
            case "VerifyingToken":
                _verify!.Answer(TokenValid);
                await ExpectPush(EventNames.ResponseOf(EventNames.AuthResume));
                break;
        }
    }

    private async Task ExpectResumedOn(IActorRef connection, string socket, string tenant, string[] subscriptions)
    {
        connection.Tell(new Reattach(socket, new ResumeCall(Token, null)));
        await AnswerTokenCheck();
        var answer = await ExpectResumeAnswer(socket);
        Assert.Equal(tenant, answer.TenantId);
        Assert.Equal(subscriptions, answer.Subscriptions);
    }

    private async Task<ResumeResponse> ExpectResumeAnswer(string socket)
    {
        var pushed = await _pushes.FishForMessageAsync<Pushed>(p => p.EventName == EventNames.ResponseOf(EventNames.AuthResume), Wait);
        Assert.Equal(socket, pushed.ConnectionId);
        return (ResumeResponse)pushed.Payload;
    }

    private async Task ExpectLoggedOutNotice(string socket)
    {
        var notice = await _pushes.FishForMessageAsync<Pushed>(p => p.EventName == EventNames.Error, Wait);
        Assert.Equal(socket, notice.ConnectionId);
        Assert.Equal(ErrorCodes.Unauthenticated, ((ErrorPush)notice.Payload).Code);
    }

    private async Task<(string, string)> NextPush()
    {
        var pushed = await _pushes.ExpectMsgAsync<Pushed>(Wait);
        return (pushed.ConnectionId, pushed.EventName);
    }

    private Task ExpectNoPushAsync() => _pushes.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200)).AsTask();
}
