using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Portal.Actors.Connections;
using Portal.Actors.Mailboxes;
using Portal.Actors.Nats;
using Portal.Actors.Tests.Fakes;
using Portal.Actors.Topics;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using Xunit.Abstractions;
using static Portal.Actors.Connections.SessionManager;

namespace Portal.Actors.Tests.Isolation;

/// <summary>
/// Randomised, seeded: many sockets of several users over several tenants log in, select, switch,
/// subscribe, unsubscribe, log out and drop, while broadcasts for every tenant flow through the
/// real actor tree. In each socket's push stream, no live push may belong to a tenant other than the
/// one that socket has currently selected and had verified. With the shared history (JetStream, here
/// <see cref="FakeHistoryStream"/>) broadcasts go through the stream, and resumes name tenants, feeds and
/// seqs to replay from, as a browser moving between nodes does.
/// </summary>
public sealed class TenantIsolationProperty : PortalSpec
{
    private readonly ITestOutputHelper _output;

    // Akka's own error lines (an actor that failed, and why) go to the test's output as well.
    public TenantIsolationProperty(ITestOutputHelper output)
        : base("akka.loglevel = ERROR\n" + CompactMailboxConfig.Hocon, output) => _output = output;

    private static readonly string[] Tenants = ["tenant-a", "tenant-b", "tenant-c", "tenant-d"];

    private static readonly Dictionary<string, (string Password, string[] Tenants)> Users = new()
    {
        ["ann@x.test"] = ("pw-ann", ["tenant-a", "tenant-b", "tenant-c"]),
        ["bob@x.test"] = ("pw-bob", ["tenant-a"]),
        ["cy@x.test"] = ("pw-cy", ["tenant-b", "tenant-d"]),
        ["di@x.test"] = ("pw-di", ["tenant-c", "tenant-d"]),
    };

    private static readonly string[] LivePushes =
    [
        EventNames.DashboardStatsUpdate, EventNames.DashboardActivityNew, EventNames.PatientsNew,
        EventNames.PatientsUpdated, EventNames.ClaimsUpdated,
    ];

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    public async Task No_push_ever_reaches_a_socket_for_a_tenant_it_has_not_selected_and_verified(int seed, bool sharedHistory)
    {
        var random = new Random(seed);
        var nats = new SimulatedNats(Users);
        var stream = sharedHistory ? new FakeHistoryStream() : null;
        var push = new RecordingBrowserPush();
        var settings = PortalActorSettings.Default with
        {
            ResumeGrace = TimeSpan.FromMilliseconds(300),
            RateLimits = new RateLimitSettings { FailedLoginsPerEmail = 100_000, FailedLoginsPerSocket = 100_000 },
        };
        var replies = Sys.ActorOf(ClientReplyRouter.Props(nats, settings));
        var topics = Sys.ActorOf(TopicRegistry.Props(nats, push, settings, stream));
        var sessions = Sys.ActorOf(SessionManager.Props(new ConnectionDependencies(
            nats, push, replies, new RevokedTokens(), new ConnectionChildren(nats, push, topics, settings), settings, History: stream)));
        await AwaitConditionAsync(async () => (await replies.Ask<ClientReplyRouter.Stats>(ClientReplyRouter.GetStats.Instance)).Ready);

        var sockets = new string?[12];
        var userOf = new string?[sockets.Length];
        var tokens = new Dictionary<string, string>();
        var connections = 0;
        var operations = 0;
        var broadcasts = 0;
        // Rounds of socket operations, a breath for the actors, then broadcasts for every tenant.
        for (var round = 0; round < 300; round++)
        {
            for (var op = 0; op < 8; op++)
            {
                operations++;
                var slot = random.Next(sockets.Length);
                if (sockets[slot] is not { } socket)
                {
                    sockets[slot] = socket = $"socket-{++connections}";
                    userOf[slot] = null;
                    sessions.Tell(new SocketConnected(socket));
                    continue;
                }

                // Mostly what a real browser would do next, sometimes anything at all.
                var user = userOf[slot] ?? Users.Keys.ElementAt(random.Next(Users.Count));
                var granted = Users[user].Tenants;
                var tenant = random.Next(5) == 0 ? Tenants[random.Next(Tenants.Length)] : granted[random.Next(granted.Length)];
                BrowserCall? call = (userOf[slot] is null && random.Next(4) != 0 ? 0 : random.Next(40)) switch
                {
                    < 3 => new LoginCall(user, random.Next(8) == 0 ? "wrong" : Users[user].Password),
                    < 14 => new TenantSelectCall(SafeId.Parse<TenantId>(tenant)),
                    < 30 => new SubscribeCall((Feed)random.Next(3)),
                    < 34 => new UnsubscribeCall((Feed)random.Next(3)),
                    < 35 => new LogoutCall(),
                    < 37 => new TenantsListCall(),
                    < 39 => tokens.Count > 0 ? Resume(tokens.Keys.ElementAt(random.Next(tokens.Count)), tenant, stream, random) : new TenantsListCall(),
                    _ => null,
                };
                userOf[slot] = call switch
                {
                    LoginCall login => login.Password == "wrong" ? null : user,
                    LogoutCall or null => null,
                    _ => userOf[slot],
                };

                if (call is null)
                {
                    // The socket drops; its session is held for the grace period.
                    sessions.Tell(new SocketDisconnected(socket));
                    sockets[slot] = null;
                    continue;
                }

                sessions.Tell(new SocketCall(socket, call));
            }

            await Task.Delay(10);
            for (var b = 0; b < 12; b++)
            {
                Broadcast(nats, stream, random);
                broadcasts++;
            }

            CollectTokens(push, tokens);
        }

        // Let everything in flight land before the pushes are read.
        await Task.Delay(1500);
        var (checkedPushes, selects) = Verify(push);
        _output.WriteLine(string.Join(", ", push.BySocket.Values.SelectMany(q => q).GroupBy(p => p.EventName == EventNames.Error ? "error:" + p.Payload.GetProperty("code").GetString() : p.EventName).Select(g => $"{g.Key}={g.Count()}")));
        _output.WriteLine($"seed {seed}: {operations} socket operations, {broadcasts} broadcasts, {connections} sockets, "
            + $"{push.Total} pushes recorded, {checkedPushes} live pushes checked, {selects} tenant selections");
        Assert.True(checkedPushes > 500, "too few live pushes to prove anything");
        Assert.True(selects > 200, "too few tenant selections to prove anything");
    }

    private static void Broadcast(SimulatedNats nats, FakeHistoryStream? stream, Random random)
    {
        var tenant = Tenants[random.Next(Tenants.Length)];
        var marker = new JsonObject { ["tenant"] = tenant, ["id"] = $"x-{random.Next(1000)}" };
        var (subject, body) = random.Next(3) switch
        {
            0 => ($"customer.broadcast.patients.{tenant}", new JsonObject { ["responseType"] = "created", ["tenantId"] = tenant, ["patient"] = marker }),
            1 => ($"customer.broadcast.dashboard.{tenant}", new JsonObject { ["type"] = "activity", ["activity"] = marker }),
            _ => ($"customer.broadcast.claims.{tenant}", new JsonObject { ["type"] = "updated", ["claim"] = marker }),
        };
        if (stream is not null)
        {
            stream.Publish(subject, body.ToJsonString());
        }
        else
        {
            nats.Deliver(subject, body);
        }
    }

    /// <summary>
    /// A resume of a known token. On the shared history it also names a tenant (mostly one the user has,
    /// sometimes not), feeds and seqs, mostly of the stream's epoch: a fresh session is rebuilt from them.
    /// </summary>
    private static ResumeCall Resume(string token, string tenant, FakeHistoryStream? stream, Random random)
    {
        if (stream is null)
        {
            return new ResumeCall(token, null);
        }

        long? Seq() => random.Next(3) == 0 ? null : random.Next(1, 400);
        return new ResumeCall(token, random.Next(4) == 0 ? null : new LastSeq(Seq(), Seq(), Seq()))
        {
            NamedTenant = SafeId.Parse<TenantId>(tenant),
            Subscriptions = Enum.GetValues<Feed>().Where(_ => random.Next(2) == 0).ToList(),
            Epoch = random.Next(5) == 0 ? "another-epoch" : stream.Place!.Epoch,
        };
    }

    private static void CollectTokens(RecordingBrowserPush push, Dictionary<string, string> tokens)
    {
        foreach (var (socket, pushes) in push.BySocket)
        {
            foreach (var p in pushes.Where(p => p.EventName == "auth:login:response" && p.Payload.GetProperty("success").GetBoolean()))
            {
                tokens[p.Payload.GetProperty("token").GetString()!] = socket;
            }
        }
    }

    /// <summary>Replays each socket's pushes in order against what the socket was told it has selected.</summary>
    private static (int Checked, int Selects) Verify(RecordingBrowserPush push)
    {
        var checkedPushes = 0;
        var selects = 0;
        foreach (var (socket, pushes) in push.BySocket)
        {
            string? user = null;
            string? tenant = null;
            var recent = new Queue<string>();
            foreach (var p in pushes)
            {
                recent.Enqueue(p.EventName + (p.Payload.ValueKind == JsonValueKind.Object && p.Payload.TryGetProperty("tenant", out var tt) && tt.ValueKind == JsonValueKind.String ? "(" + tt.GetString() + ")" : p.Payload.ValueKind == JsonValueKind.Object && p.Payload.TryGetProperty("tenantId", out var ti) ? "[" + ti.GetString() + "]" : "") + (p.EventName == EventNames.Error ? ":" + p.Payload.GetProperty("code").GetString() : ""));
                if (recent.Count > 14)
                {
                    recent.Dequeue();
                }

                switch (p.EventName)
                {
                    case "auth:login:response" when Success(p.Payload):
                        user = p.Payload.GetProperty("user").GetProperty("id").GetString();
                        tenant = null;
                        break;
                    case "auth:resume:response" when Success(p.Payload):
                        user = p.Payload.GetProperty("user").GetProperty("id").GetString();
                        tenant = p.Payload.TryGetProperty("tenantId", out var t) ? t.GetString() : null;
                        break;
                    case "auth:logout:response" when Success(p.Payload):
                        user = tenant = null;
                        break;
                    case EventNames.Error when p.Payload.GetProperty("code").GetString() == ErrorCodes.Internal:
                        Assert.Fail($"{socket}: internal error: {p.Payload.GetProperty("message").GetString()}");
                        break;
                    case EventNames.Error when p.Payload.GetProperty("code").GetString() == ErrorCodes.Unauthenticated
                                               && p.Payload.TryGetProperty("method", out var m) is false:
                        // Logged out because the session moved to another socket.
                        user = tenant = null;
                        break;
                    case "user:tenant:select:response" when Success(p.Payload):
                        tenant = p.Payload.GetProperty("tenantId").GetString();
                        selects++;
                        Assert.True(user is not null && Users[user].Tenants.Contains(tenant!), $"{socket}: {user} selected {tenant}, which was never granted");
                        break;
                    case var name when LivePushes.Contains(name):
                        checkedPushes++;
                        var of = p.Payload.GetProperty("tenant").GetString();
                        Assert.True(of == tenant, $"{socket}: a {name} push of {of} arrived while {tenant ?? "no tenant"} was selected; last pushes: {string.Join(" ", recent)}");
                        break;
                }
            }
        }

        return (checkedPushes, selects);
    }

    private static bool Success(JsonElement payload) => payload.TryGetProperty("success", out var s) && s.GetBoolean();
}
