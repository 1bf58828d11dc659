using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Host.Configuration;
using Portal.Host.Hubs;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>
/// The per-socket call limit, at the hub's door. Every hub call counts (<c>auth:resume</c> and calls refused for
/// their shape too); a call over the limit is refused with <c>rate_limited</c> like any other refusal. The bucket
/// holds <see cref="Burst"/> calls and refills at <see cref="PerSecond"/> a second, so what a burst may spend is
/// known whatever the machine's pace.
/// </summary>
public sealed class CallLimitTests(CallLimitTests.LimitedPortal fixture) : IClassFixture<CallLimitTests.LimitedPortal>
{
    private const int Burst = 5;
    private const int PerSecond = 1;

    private const string UnknownMethodFrame = """{"type":1,"target":"no:such:method","arguments":[{}]}""";

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task Calls_OverTheBurst_AreRefusedAsRateLimitedEchoingRequestIdAndMethod_AndServedAgainLater(WireProtocol protocol)
    {
        await using var client = await PortalClient.ConnectAsync(fixture.Address, protocol);
        const int calls = Burst + 3;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            await client.CallAsync(EventNames.TenantsList, new { requestId = $"call-{i}" });
        }

        var window = clock.Elapsed;

        // Not logged in: a call that passes the door reaches the connection actor, which says unauthenticated.
        var errors = new List<JsonElement>();
        var responses = new List<JsonElement>();
        for (var i = 0; i < calls; i++)
        {
            errors.Add((await client.NextAsync(EventNames.Error)).Payload);
            responses.Add((await client.NextAsync(EventNames.ResponseOf(EventNames.TenantsList))).Payload);
        }

        var codes = errors.Select(e => e.GetProperty("code").GetString()).ToList();
        var served = codes.TakeWhile(c => c == ErrorCodes.Unauthenticated).Count();
        Assert.InRange(served, Burst, Burst + (int)Math.Ceiling(window.TotalSeconds * PerSecond));
        Assert.InRange(served, Burst, calls - 1);
        Assert.All(codes.Skip(served), c => Assert.Equal(ErrorCodes.RateLimited, c));

        // Each refusal names its call, and the call's failure response says the same, in call order.
        Assert.Equal(Enumerable.Range(0, calls).Select(i => $"call-{i}"), errors.Select(e => e.GetProperty("requestId").GetString()));
        Assert.All(errors, e => Assert.Equal(EventNames.TenantsList, e.GetProperty("method").GetString()));
        Assert.Equal(Enumerable.Range(0, calls).Select(i => $"call-{i}"), responses.Select(r => r.GetProperty("requestId").GetString()));
        foreach (var (error, response) in errors.Zip(responses).Skip(served))
        {
            Assert.Equal(error.GetProperty("message").GetString(), response.GetProperty("error").GetString());
            Assert.Equal(0, response.GetProperty("tenants").GetArrayLength());
        }

        // The bucket refills: a call soon reaches the actor again.
        await Eventually.HoldsAsync(async () =>
        {
            await client.CallAsync(EventNames.TenantsList, new { requestId = "later" });
            var error = (await client.NextAsync(EventNames.Error, p => p.Payload.GetProperty("requestId").GetString() == "later")).Payload;
            return error.GetProperty("code").GetString() == ErrorCodes.Unauthenticated;
        });
    }

    [Fact]
    public async Task AuthResume_300InABurstOnOneSocket_AreRefusedPastTheBurst_AndNeitherThatSocketNorAnotherIsHarmed()
    {
        // Defect 5 of issue 10: 300 resumes in 150 ms on one socket were all answered. A resume of a session the
        // node holds goes from the session manager to that session's actor as a reattach, past any actor's bucket.
        const int resumes = 300;
        await using var owner = await RawHubSocket.ConnectAsync(fixture.Address);
        await owner.SendAsync(EventNames.AuthLogin, new { email = "john@example.com", password = "password123" });
        var token = (await owner.NextInvocationAsync(EventNames.ResponseOf(EventNames.AuthLogin)))[0].GetProperty("token").GetString();

        await using var neighbour = await RawHubSocket.ConnectAsync(fixture.Address);
        await using var socket = await RawHubSocket.ConnectAsync(fixture.Address);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < resumes; i++)
        {
            await socket.SendAsync(EventNames.AuthResume, new { token, requestId = $"resume-{i}" });
        }

        // While that socket's bucket is empty, another socket still has all of its own.
        for (var i = 0; i < Burst; i++)
        {
            await neighbour.SendAsync(EventNames.TenantsList, new { requestId = $"neighbour-{i}" });
        }

        var neighbourErrors = Errors(await neighbour.ReadUntilAsync(seen => Errors(seen).Count == Burst));
        Assert.All(neighbourErrors, e => Assert.Equal(ErrorCodes.Unauthenticated, e.GetProperty("code").GetString()));

        // Every resume is answered once: the session moves to this socket, or the call is refused at the door.
        var resumed = EventNames.ResponseOf(EventNames.AuthResume);
        var seen = await socket.ReadUntilAsync(s => s.Count(x => x.Target == resumed) == resumes, TimeSpan.FromSeconds(60));
        var window = clock.Elapsed;
        var answers = seen.Where(s => s.Target == resumed).Select(s => s.Argument).ToList();
        Assert.Equal(Enumerable.Range(0, resumes).Select(i => $"resume-{i}").Order(), answers.Select(a => a.GetProperty("requestId").GetString()).Order());
        var served = answers.Count(a => a.GetProperty("success").GetBoolean());
        Assert.InRange(served, 1, Burst + (int)Math.Ceiling(window.TotalSeconds * PerSecond));
        var refused = Errors(seen);
        Assert.Equal(resumes - served, refused.Count);
        Assert.All(refused, e => Assert.Equal((ErrorCodes.RateLimited, EventNames.AuthResume), (e.GetProperty("code").GetString(), e.GetProperty("method").GetString())));

        // The socket stays usable: once its bucket has a call again, it is served in the session it resumed.
        await Eventually.HoldsAsync(async () =>
        {
            await socket.SendAsync(EventNames.TenantsList, new { requestId = "after" });
            var list = (await socket.NextInvocationAsync(
                EventNames.ResponseOf(EventNames.TenantsList), match: r => r.TryGetProperty("requestId", out var id) && id.GetString() == "after"))[0];
            return !list.TryGetProperty("error", out _) && list.GetProperty("tenants").GetArrayLength() > 0;
        });
    }

    [Fact]
    public async Task CallsRefusedForTheirShape_CountAgainstTheBurst_AndCallsOverItEchoRequestIdMethodAndTenant()
    {
        await using var socket = await RawHubSocket.ConnectAsync(fixture.Address);
        for (var i = 0; i < Burst; i++)
        {
            await socket.SendFrameAsync(UnknownMethodFrame);
        }

        // The bucket is empty now; these are refused at the door, before their shape is even looked at.
        await socket.SendAsync(EventNames.TenantSelect, new { tenantId = "tenant-001", requestId = "select-valid" });
        await socket.SendAsync(EventNames.TenantSelect, new { tenantId = "not a tenant!", requestId = "select-invalid" });
        await socket.SendFrameAsync(UnknownMethodFrame);

        var seen = await socket.ReadUntilAsync(s => Errors(s).Count == Burst + 3);
        var errors = Errors(seen);
        Assert.All(errors.Take(Burst), e => Assert.Equal(ErrorCodes.InvalidArgument, e.GetProperty("code").GetString()));
        Assert.All(errors.Skip(Burst), e => Assert.Equal(ErrorCodes.RateLimited, e.GetProperty("code").GetString()));
        Assert.Equal(
            [(EventNames.TenantSelect, "select-valid"), (EventNames.TenantSelect, "select-invalid"), ("no:such:method", null)],
            errors.Skip(Burst).Select(e => (e.GetProperty("method").GetString(), e.TryGetProperty("requestId", out var id) ? id.GetString() : null)));

        // The select's failure response echoes its tenant when it was a valid id, as any refused select does.
        var selects = seen.Where(s => s.Target == EventNames.ResponseOf(EventNames.TenantSelect)).Select(s => s.Argument).ToList();
        Assert.Equal(["select-valid", "select-invalid"], selects.Select(r => r.GetProperty("requestId").GetString()));
        Assert.All(selects, r => Assert.False(r.GetProperty("success").GetBoolean()));
        Assert.Equal(["tenant-001", ""], selects.Select(r => r.GetProperty("tenantId").GetString()));
    }

    [Fact]
    public async Task Login_WithCallsRightBehindIt_WithinTheBurst_AllAreServed()
    {
        // The calls arrive while the login is in flight and wait for it in the connection actor: the door charged
        // each of them once, so the login and its followers together fit the burst exactly.
        await using var socket = await RawHubSocket.ConnectAsync(fixture.Address);
        await socket.SendAsync(EventNames.AuthLogin, new { email = "john@example.com", password = "password123", requestId = "login" });
        for (var i = 0; i < Burst - 1; i++)
        {
            await socket.SendAsync(EventNames.TenantsList, new { requestId = $"held-{i}" });
        }

        var listed = EventNames.ResponseOf(EventNames.TenantsList);
        var seen = await socket.ReadUntilAsync(s => s.Count(x => x.Target == listed) == Burst - 1);

        Assert.DoesNotContain(seen, s => s.Target == EventNames.Error);
        Assert.True(seen.Single(s => s.Target == EventNames.ResponseOf(EventNames.AuthLogin)).Argument.GetProperty("success").GetBoolean());
        var lists = seen.Where(s => s.Target == listed).Select(s => s.Argument).ToList();
        Assert.Equal(Enumerable.Range(0, Burst - 1).Select(i => $"held-{i}"), lists.Select(r => r.GetProperty("requestId").GetString()));
        Assert.All(lists, r => Assert.NotEqual(0, r.GetProperty("tenants").GetArrayLength()));
    }

    [Fact]
    public async Task SocketBucket_OfAClosedSocket_IsDroppedOnceItIsFullAndIdle()
    {
        var client = await PortalClient.ConnectAsync(fixture.Address);
        var connectionId = client.All.First(p => p.EventName == EventNames.Connected).Payload.GetProperty("connectionId").GetString()!;
        await client.CallAsync(EventNames.TenantsList);
        Assert.Equal(1, fixture.Limiter.CallsCounted(connectionId));

        await client.DisposeAsync();

        // It refills within a second and the limiter drops a bucket that has been full for 10 s; asking
        // afterwards finds a fresh one that has counted nothing. Nothing of the socket is kept.
        await Eventually.HoldsAsync(() => Task.FromResult(fixture.Limiter.CallsCounted(connectionId) == 0), TimeSpan.FromSeconds(30));
    }

    private static List<JsonElement> Errors(IReadOnlyList<(string Target, JsonElement Argument)> seen) =>
        seen.Where(s => s.Target == EventNames.Error).Select(s => s.Argument).ToList();

    /// <summary>One portal (with NATS and the demo services) for the class, with a small, slow bucket; each test uses its own sockets.</summary>
    public sealed class LimitedPortal : IAsyncLifetime
    {
        private IsolatedPortal? _portal;

        public Uri Address => _portal!.Portal.Address;

        public SocketCallLimiter Limiter => _portal!.Portal.Services.GetRequiredService<SocketCallLimiter>();

        public async Task InitializeAsync() => _portal = await IsolatedPortal.StartAsync(withDemo: true, new Dictionary<string, string>
        {
            [PortalHostSettings.CallBurstKey] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [PortalHostSettings.CallsPerSecondKey] = PerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        public async Task DisposeAsync()
        {
            if (_portal is not null)
            {
                await _portal.DisposeAsync();
            }
        }
    }
}
