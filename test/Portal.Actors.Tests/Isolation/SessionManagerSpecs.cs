using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Portal.Actors.Connections;
using Portal.Actors.Mailboxes;
using Portal.Actors.Nats;
using Portal.Actors.Tests.Fakes;
using Portal.Actors.Topics;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using static Portal.Actors.Connections.SessionManager;

namespace Portal.Actors.Tests.Isolation;

/// <summary>
/// The session manager over the real tree (in-memory NATS): one token live on two sockets, which
/// happens when a socket that is already logged in resumes a token still open on another socket.
/// </summary>
public sealed class SessionManagerSpecs : PortalSpec
{
    private static readonly Dictionary<string, (string Password, string[] Tenants)> Users = new()
    {
        ["ann@x.test"] = ("pw-ann", ["tenant-a"]),
        ["bob@x.test"] = ("pw-bob", ["tenant-a", "tenant-b"]),
    };

    private readonly SimulatedNats _nats = new(Users);
    private readonly RecordingBrowserPush _push = new();
    private IActorRef _sessions = ActorRefs.Nobody;

    public SessionManagerSpecs()
        : base("akka.loglevel = WARNING\n" + CompactMailboxConfig.Hocon)
    {
        // Each spec starts its own node (StartNode), with the grace period it needs.
    }

    [Fact]
    public async Task SessionManager_must_log_out_every_socket_of_this_node_holding_a_token_when_it_is_revoked()
    {
        await StartNode(_nats, TimeSpan.FromSeconds(30));
        await Connect("a");
        var annToken = await LogIn("a", "ann@x.test");
        await Connect("b");
        await LogIn("b", "bob@x.test");

        // b already has a session, so it resumes ann's token as a fresh session of its own: the token is live on a and b.
        await Call("b", new ResumeCall(annToken, null), "auth:resume:response");

        // Logged out on b: the revocation must reach a too, not only the newest holder.
        await Call("b", new LogoutCall(), "auth:logout:response");

        await Next("a", p => p.EventName == EventNames.Error && p.Payload.GetProperty("code").GetString() == ErrorCodes.Unauthenticated);
        var refused = await Call("a", new TenantsListCall(), EventNames.Error);
        Assert.Equal(ErrorCodes.Unauthenticated, refused.Payload.GetProperty("code").GetString());
    }

    [Fact]
    public async Task SessionManager_must_end_a_sockets_session_in_order_when_it_resumes_another_token_even_if_its_own_is_live_elsewhere()
    {
        await StartNode(_nats, TimeSpan.FromSeconds(30));
        await Connect("a");
        var annToken = await LogIn("a", "ann@x.test");
        await Call("a", new TenantSelectCall(SafeId.Parse<TenantId>("tenant-a")), "user:tenant:select:response");
        await Call("a", new SubscribeCall(Feed.Patients), EventNames.PatientsListed);

        await Connect("b");
        await LogIn("b", "bob@x.test");
        await Call("b", new ResumeCall(annToken, null), "auth:resume:response");

        // c's session is held after its socket dropped, with another tenant selected.
        await Connect("c");
        var heldToken = await LogIn("c", "bob@x.test");
        await Call("c", new TenantSelectCall(SafeId.Parse<TenantId>("tenant-b")), "user:tenant:select:response");
        _sessions.Tell(new SocketDisconnected("c"));

        // a's own session (tenant-a, live patients) must stop before a is answered as another session.
        using var broadcasting = new CancellationTokenSource();
        var broadcaster = Task.Run(async () =>
        {
            for (var i = 0; !broadcasting.IsCancellationRequested; i++)
            {
                _nats.Deliver("customer.broadcast.patients.tenant-a", new JsonObject
                {
                    ["responseType"] = "created", ["tenantId"] = "tenant-a", ["patient"] = new JsonObject { ["id"] = $"p-{i}" },
                });
                await Task.Yield();
            }
        });
        await Next("a", p => p.EventName == EventNames.PatientsNew);
        await Call("a", new ResumeCall(heldToken, null), "auth:resume:response");
        await Task.Delay(300);
        await broadcasting.CancelAsync();
        await broadcaster;

        var afterResume = Pushes("a").SkipWhile(p => p.EventName != "auth:resume:response").ToList();
        var resumed = afterResume[0].Payload;
        Assert.True(resumed.GetProperty("success").GetBoolean());
        var tenant = resumed.TryGetProperty("tenantId", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        Assert.NotEqual("tenant-a", tenant);
        Assert.DoesNotContain(afterResume, p => p.EventName == EventNames.PatientsNew);
    }

    [Fact]
    public async Task SessionManager_must_forget_every_socket_and_held_session_once_their_actors_stopped()
    {
        await StartNode(_nats, TimeSpan.FromSeconds(2));
        const int sockets = 200;
        for (var i = 0; i < sockets; i++)
        {
            _sessions.Tell(new SocketConnected($"s{i}"));
            _sessions.Tell(new SocketCall($"s{i}", new LoginCall("ann@x.test", Users["ann@x.test"].Password)));
        }

        await AwaitConditionAsync(() => Task.FromResult(Enumerable.Range(0, sockets).All(i => Pushes($"s{i}").Any(p => p.EventName == "auth:login:response"))), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(10));
        for (var i = 0; i < sockets; i++)
        {
            _sessions.Tell(new SocketDisconnected($"s{i}"));
        }

        // Each actor told the manager of its session before it pushed the login answer.
        Assert.Equal(new ConnectionCount(0, sockets), await _sessions.Ask<ConnectionCount>(GetConnectionCount.Instance));

        // After the grace period every held session's actor stops, and the manager keeps nothing of it.
        await AwaitConditionAsync(async () => await _sessions.Ask<ConnectionCount>(GetConnectionCount.Instance) == new ConnectionCount(0, 0), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SessionManager_must_replace_a_failed_connection_actor_on_the_socket_its_session_moved_to()
    {
        await StartNode(new FailingOnSubject(_nats, Subjects.SessionRevoked), TimeSpan.FromSeconds(30));
        await Connect("a");
        var token = await LogIn("a", "ann@x.test");
        await Connect("b");

        // The session moves from a to b (a is told and starts over, anonymous); then its actor fails on b.
        await Call("b", new ResumeCall(token, null), "auth:resume:response");
        await Next("a", p => p.EventName == EventNames.Error);
        var pushedToA = Pushes("a").Count;
        _sessions.Tell(new SocketCall("b", new LogoutCall()));

        var failed = await Next("b", p => p.EventName == EventNames.Error && p.Payload.GetProperty("code").GetString() == ErrorCodes.Internal);
        Assert.Contains("log in again", failed.Payload.GetProperty("message").GetString(), StringComparison.Ordinal);

        // b is served again, anonymous, by a fresh actor; a heard nothing of it.
        var refused = await Call("b", new TenantsListCall(), EventNames.Error);
        Assert.Equal(ErrorCodes.Unauthenticated, refused.Payload.GetProperty("code").GetString());
        await LogIn("b", "bob@x.test");
        Assert.Equal(pushedToA, Pushes("a").Count);
        Assert.Equal(new ConnectionCount(2, 0), await _sessions.Ask<ConnectionCount>(GetConnectionCount.Instance));
    }

    [Fact]
    public async Task SessionManager_must_answer_a_resume_that_races_the_end_of_the_held_session()
    {
        // The held session stops when its grace ends; a resume sent around that moment must still be
        // answered (the session taken over, or a fresh one), never lost with the stopping actor.
        await StartNode(_nats, TimeSpan.FromMilliseconds(40));
        for (var i = 0; i < 60; i++)
        {
            await Connect($"held-{i}");
            var token = await LogIn($"held-{i}", "ann@x.test");
            _sessions.Tell(new SocketDisconnected($"held-{i}"));
            await Task.Delay(i % 20 * 4);
            await Connect($"new-{i}");

            var resumed = await Call($"new-{i}", new ResumeCall(token, null), "auth:resume:response");
            Assert.True(resumed.Payload.GetProperty("success").GetBoolean());
            Assert.DoesNotContain(Pushes($"new-{i}"), p => p.EventName == EventNames.Error);
        }
    }

    /// <summary>
    /// Starts a node's replies router, topics and session manager over <paramref name="nats"/>, and
    /// waits until the router holds its reply subscriptions, as the host's readiness check does: a
    /// login made before that would have its answer go nowhere.
    /// </summary>
    private async Task StartNode(INatsGateway nats, TimeSpan resumeGrace)
    {
        var settings = PortalActorSettings.Default with { ResumeGrace = resumeGrace };
        var replies = Sys.ActorOf(ClientReplyRouter.Props(nats, settings));
        var topics = Sys.ActorOf(TopicRegistry.Props(nats, _push, settings));
        _sessions = Sys.ActorOf(SessionManager.Props(new ConnectionDependencies(
            nats, _push, replies, new RevokedTokens(), new ConnectionChildren(nats, _push, topics, settings), settings)));
        await AwaitConditionAsync(async () => (await replies.Ask<ClientReplyRouter.Stats>(ClientReplyRouter.GetStats.Instance)).Ready,
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(10));
    }

    private async Task Connect(string socket)
    {
        _sessions.Tell(new SocketConnected(socket));
        await Next(socket, p => p.EventName == EventNames.Connected);
    }

    private async Task<string> LogIn(string socket, string email)
    {
        var response = await Call(socket, new LoginCall(email, Users[email].Password), "auth:login:response");
        return response.Payload.GetProperty("token").GetString()!;
    }

    /// <summary>Makes the call and waits for the first <paramref name="answeredBy"/> push after it.</summary>
    private async Task<RecordingBrowserPush.Recorded> Call(string socket, BrowserCall call, string answeredBy)
    {
        var before = Pushes(socket).Count;
        _sessions.Tell(new SocketCall(socket, call));
        return await Next(socket, p => p.EventName == answeredBy, skip: before);
    }

    private async Task<RecordingBrowserPush.Recorded> Next(string socket, Func<RecordingBrowserPush.Recorded, bool> match, int skip = 0)
    {
        RecordingBrowserPush.Recorded? found = null;
        await AwaitConditionAsync(() =>
        {
            found = Pushes(socket).Skip(skip).FirstOrDefault(match);
            return Task.FromResult(found is not null);
        }, TimeSpan.FromSeconds(5), interval: TimeSpan.FromMilliseconds(10));
        return found!;
    }

    private List<RecordingBrowserPush.Recorded> Pushes(string socket) =>
        _push.BySocket.TryGetValue(socket, out var pushes) ? [.. pushes] : [];

    /// <summary>A gateway whose publish on one subject throws at once, as a bug in the host's NATS code would.</summary>
    private sealed class FailingOnSubject(INatsGateway inner, string subject) : INatsGateway
    {
        public NatsLink Link => inner.Link;

        public event Action<NatsLink>? LinkChanged
        {
            add => inner.LinkChanged += value;
            remove => inner.LinkChanged -= value;
        }

        public Task<bool> PublishAsync(string s, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers = null, string? replyTo = null) =>
            s == subject ? throw new InvalidOperationException("publish failed") : inner.PublishAsync(s, body, headers, replyTo);

        public Task<NatsReply> RequestAsync(string s, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers, TimeSpan timeout) =>
            inner.RequestAsync(s, body, headers, timeout);

        public Task<IAsyncDisposable> SubscribeAsync(string s, Action<NatsInbound> onMessage, Action<Exception?> onEnded) =>
            inner.SubscribeAsync(s, onMessage, onEnded);
    }
}
