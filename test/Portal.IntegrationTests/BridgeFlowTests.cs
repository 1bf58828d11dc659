using System.Text;
using System.Text.Json;
using NATS.Client.Core;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;
using Portal.Protocol.Browser;

namespace Portal.IntegrationTests;

/// <summary>
/// The whole flow of PROTOCOL.md through real sockets, the actor tree, a real nats-server and the
/// demo services, for several users at once.
/// </summary>
[Collection(PortalWithDemoCollection.Name)]
public sealed class BridgeFlowTests(PortalWithDemoFixture fixture)
{
    [Fact]
    public async Task Bridge_TwoUsersAtOnce_ServesTheWholeContractAndIsolatesTenants()
    {
        await using var demo = await fixture.ConnectAsync();
        await using var john = await fixture.ConnectAsync();
        await using var demoOnSpringfield = await fixture.ConnectAsync();

        // Log in: both users at once.
        var logins = await Task.WhenAll(
            demo.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123", requestId = "login-demo" }),
            john.AskAsync("auth:login", new { email = "john@example.com", password = "password123" }),
            demoOnSpringfield.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" }));
        Assert.All(logins, l => Assert.True(l.GetProperty("success").GetBoolean()));
        Assert.Equal("login-demo", logins[0].GetProperty("requestId").GetString());
        Assert.Equal("user-demo", logins[0].GetProperty("user").GetProperty("id").GetString());
        Assert.False(string.IsNullOrEmpty(logins[0].GetProperty("token").GetString()));

        // Tenants: demo has both, john one.
        var demoTenants = (await demo.AskAsync("user:tenants:list", new { requestId = "t1" })).GetProperty("tenants");
        Assert.Equal(["tenant-001", "tenant-002"], demoTenants.EnumerateArray().Select(t => t.GetProperty("id").GetString()).Order());
        Assert.Contains(demoTenants.EnumerateArray(), t => t.GetProperty("name").GetString() == "Mercy General Hospital");
        var johnTenants = (await john.AskAsync("user:tenants:list")).GetProperty("tenants");
        Assert.Equal("tenant-001", Assert.Single(johnTenants.EnumerateArray()).GetProperty("id").GetString());

        // Select: john is refused tenant-002 and keeps nothing selected.
        var refused = await john.AskAsync("user:tenant:select", new { tenantId = "tenant-002" });
        Assert.False(refused.GetProperty("success").GetBoolean());
        Assert.Equal(ErrorCodes.Forbidden, (await john.ErrorAsync("user:tenant:select")).GetProperty("code").GetString());

        var selected = await demo.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
        Assert.True(selected.GetProperty("success").GetBoolean());
        Assert.Equal("Mercy General Hospital", selected.GetProperty("tenant").GetProperty("name").GetString());
        Assert.True((await john.AskAsync("user:tenant:select", new { tenantId = "tenant-001" })).GetProperty("success").GetBoolean());
        Assert.True((await demoOnSpringfield.AskAsync("user:tenant:select", new { tenantId = "tenant-002" })).GetProperty("success").GetBoolean());

        // Dashboard snapshot.
        await demo.CallAsync("dashboard:subscribe");
        var stats = (await demo.NextAsync(EventNames.DashboardStats)).Payload;
        Assert.True(stats.GetProperty("patients").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Array, (await demo.NextAsync(EventNames.DashboardActivity)).Payload.ValueKind);

        // Patients snapshot on all three sockets; tenant-002's list shares no patient with tenant-001's.
        await Task.WhenAll(demo.CallAsync("patients:subscribe"), john.CallAsync("patients:subscribe"), demoOnSpringfield.CallAsync("patients:subscribe"));
        var mercyPatients = (await demo.NextAsync(EventNames.PatientsListed)).Payload;
        await john.NextAsync(EventNames.PatientsListed);
        var springfieldPatients = (await demoOnSpringfield.NextAsync(EventNames.PatientsListed)).Payload;
        var mercyIds = Ids(mercyPatients);
        Assert.NotEmpty(mercyIds);
        Assert.Empty(mercyIds.Intersect(Ids(springfieldPatients)));

        // Claims feed.
        Assert.True((await demo.AskAsync("claims:subscribe")).GetProperty("success").GetBoolean());

        // A patient with claims and insurance.
        var patientId = mercyIds[0];
        var view = await demo.AskAsync("patients:view", new { patientId, requestId = "v1" });
        Assert.True(view.GetProperty("success").GetBoolean());
        Assert.Equal(patientId, view.GetProperty("patient").GetProperty("id").GetString());
        var claims = (await demo.AskAsync("claims:list", new { patientId })).GetProperty("claims");
        Assert.True(claims.GetArrayLength() > 0);
        var claimId = claims[0].GetProperty("id").GetString();
        var claim = await demo.AskAsync("claims:get", new { claimId });
        Assert.Equal(claimId, claim.GetProperty("claim").GetProperty("id").GetString());
        Assert.True((await demo.AskAsync("insurance:list", new { patientId })).GetProperty("insurance").GetArrayLength() > 0);

        // A live broadcast reaches both tenant-001 sockets, with a seq, and not the tenant-002 one.
        await using var nats = fixture.Nats();
        var newcomer = """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-live-1","firstName":"Live","lastName":"Broadcast"}}""";
        await nats.PublishAsync("customer.broadcast.patients.tenant-001", Encoding.UTF8.GetBytes(newcomer));
        var seen = await Task.WhenAll(demo.NextAsync(EventNames.PatientsNew), john.NextAsync(EventNames.PatientsNew));
        Assert.All(seen, p => Assert.Equal("p-live-1", p.Payload.GetProperty("id").GetString()));
        Assert.All(seen, p => Assert.True(p.Second!.Value.GetProperty("seq").GetInt64() >= 1));
        Assert.True(await demoOnSpringfield.NoneAsync(EventNames.PatientsNew, TimeSpan.FromSeconds(1)));

        // A claim broadcast reaches the claims subscriber; the dashboard subscriber gets its activity.
        await nats.PublishAsync("customer.broadcast.claims.tenant-001", Encoding.UTF8.GetBytes("""{"type":"updated","claim":{"id":"c-live","status":"approved"}}"""));
        Assert.Equal("approved", (await demo.NextAsync(EventNames.ClaimsUpdated)).Payload.GetProperty("status").GetString());
        await nats.PublishAsync("customer.broadcast.dashboard.tenant-001", Encoding.UTF8.GetBytes("""{"type":"activity","activity":{"id":"a-live","message":"hello"}}"""));
        Assert.Equal("a-live", (await demo.NextAsync(EventNames.DashboardActivityNew)).Payload.GetProperty("id").GetString());

        // Adding a patient is answered and the service's broadcast reaches every subscriber of the tenant.
        var added = await john.AskAsync("patients:add", new { patient = new { firstName = "Nova", lastName = "Added", dateOfBirth = "1990-01-02" } });
        Assert.True(added.GetProperty("success").GetBoolean());
        var addedId = added.GetProperty("patient").GetProperty("id").GetString();
        await demo.NextAsync(EventNames.PatientsNew, p => p.Payload.GetProperty("id").GetString() == addedId);

        // Switching tenant: the old tenant's feeds are gone, the new tenant's list comes.
        var switched = await demo.AskAsync("user:tenant:select", new { tenantId = "tenant-002" });
        Assert.True(switched.GetProperty("success").GetBoolean());
        await demo.CallAsync("patients:subscribe");
        var afterSwitch = Ids((await demo.NextAsync(EventNames.PatientsListed)).Payload);
        Assert.Empty(afterSwitch.Intersect(mercyIds));
        await nats.PublishAsync("customer.broadcast.patients.tenant-001", Encoding.UTF8.GetBytes(newcomer.Replace("p-live-1", "p-live-2")));
        await john.NextAsync(EventNames.PatientsNew, p => p.Payload.GetProperty("id").GetString() == "p-live-2");
        Assert.True(await demo.NoneAsync(EventNames.PatientsNew, TimeSpan.FromSeconds(1)));

        // Unsubscribe and logout.
        Assert.True((await john.AskAsync("patients:unsubscribe")).GetProperty("success").GetBoolean());
        Assert.True((await demo.AskAsync("auth:logout")).GetProperty("success").GetBoolean());
        Assert.Equal(ErrorCodes.Unauthenticated, await RefusalOf(demo, "user:tenants:list"));
    }

    [Fact]
    public async Task Resume_ValidTokenOnANewSocket_RestoresTheUserAndLogoutRevokesIt()
    {
        await using var first = await fixture.ConnectAsync();
        var login = await first.AskAsync("auth:login", new { email = "john@example.com", password = "password123" });
        var token = login.GetProperty("token").GetString();

        await using var second = await fixture.ConnectAsync();
        var resumed = await second.AskAsync("auth:resume", new { token, requestId = "r" });
        Assert.True(resumed.GetProperty("success").GetBoolean());
        Assert.Equal("user-john", resumed.GetProperty("user").GetProperty("id").GetString());
        Assert.True((await second.AskAsync("user:tenant:select", new { tenantId = "tenant-001" })).GetProperty("success").GetBoolean());

        Assert.True((await second.AskAsync("auth:logout")).GetProperty("success").GetBoolean());
        await using var third = await fixture.ConnectAsync();
        Assert.False((await third.AskAsync("auth:resume", new { token })).GetProperty("success").GetBoolean());
        Assert.Equal(ErrorCodes.Unauthenticated, (await third.ErrorAsync("auth:resume")).GetProperty("code").GetString());

        await using var forged = await fixture.ConnectAsync();
        Assert.False((await forged.AskAsync("auth:resume", new { token = "forged-token" })).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Errors_EachCodeOfTheContract_IsProducedByARealCallAndTheSocketStaysUsable()
    {
        await using var client = await fixture.ConnectAsync();

        Assert.Equal(ErrorCodes.Unauthenticated, await RefusalOf(client, "patients:subscribe"));
        Assert.Equal(ErrorCodes.InvalidArgument, await RefusalOf(client, "auth:login", new { email = 42, password = "x" }));

        var wrongPassword = await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "wrong" });
        Assert.False(wrongPassword.GetProperty("success").GetBoolean());
        Assert.Equal(ErrorCodes.Unauthenticated, (await client.ErrorAsync("auth:login")).GetProperty("code").GetString());

        await client.AskAsync("auth:login", new { email = "john@example.com", password = "password123" });
        Assert.Equal(ErrorCodes.NoTenantSelected, await RefusalOf(client, "claims:list", new { patientId = "p-001-01" }));
        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(client, "user:tenant:select", new { tenantId = "tenant-002" }));
        await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
        Assert.Equal(ErrorCodes.Forbidden, await RefusalOf(client, "patients:view", new { patientId = "p-001-01", tenantId = "tenant-002" }));

        foreach (var bad in new[] { "*", ">", "a.b", "a b", "", new string('x', 65), "tenant-001\n", "é" })
        {
            Assert.Equal(ErrorCodes.InvalidArgument, await RefusalOf(client, "patients:view", new { patientId = bad }));
        }

        Assert.Equal(ErrorCodes.InvalidArgument, await RefusalOf(client, "claims:get", new { claimId = 7 }));

        // Over 64 KiB is refused and the socket is not closed (SignalR's own limit would close it).
        var large = new string('x', 70 * 1024);
        Assert.Equal(ErrorCodes.PayloadTooLarge, await RefusalOf(client, "patients:add", new { patient = new { firstName = large } }));

        // Still usable after all of it.
        var view = await client.AskAsync("patients:view", new { patientId = "p-001-01" });
        Assert.True(view.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task Logs_AfterAWholeFlow_HoldNoPasswordTokenOrPatientData()
    {
        await using var client = await fixture.ConnectAsync();
        var login = await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
        await client.AskAsync("auth:login", new { email = "john@example.com", password = "password123" });
        await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "wrong-password-xyz" });
        var token = (await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" })).GetProperty("token").GetString()!;
        await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
        await client.CallAsync("patients:subscribe");
        var patients = (await client.NextAsync(EventNames.PatientsListed)).Payload;
        var patientId = patients[0].GetProperty("id").GetString();
        var patient = (await client.AskAsync("patients:view", new { patientId })).GetProperty("patient");
        var claims = (await client.AskAsync("claims:list", new { patientId })).GetProperty("claims");
        var insurance = (await client.AskAsync("insurance:list", new { patientId })).GetProperty("insurance");
        await client.AskAsync("auth:resume", new { token = "forged-secret-token-123" });

        string[] secrets =
        [
            "demo123", "password123", "wrong-password-xyz", token, login.GetProperty("token").GetString()!, "forged-secret-token-123",
            patient.GetProperty("firstName").GetString()!, patient.GetProperty("lastName").GetString()!,
            .. patients.EnumerateArray().Select(p => p.GetProperty("lastName").GetString()!),
            .. Strings(claims, "description"), .. Strings(insurance, "policyNumber"),
        ];

        Assert.NotEmpty(fixture.Portal.Logs.Lines);
        foreach (var line in fixture.Portal.Logs.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>Makes a call that must be refused: returns the error code, and checks the failed response where the call has one.</summary>
    private static async Task<string> RefusalOf(PortalClient client, string method, object? args = null)
    {
        await client.CallAsync(method, args);
        var error = await client.ErrorAsync(method);
        if (FailureResponses.For(method, "", null) is not null)
        {
            var response = (await client.NextAsync(EventNames.ResponseOf(method))).Payload;
            Assert.Equal(error.GetProperty("message").GetString(), response.GetProperty("error").GetString());
            if (response.TryGetProperty("success", out var success))
            {
                Assert.False(success.GetBoolean());
            }
        }

        return error.GetProperty("code").GetString()!;
    }

    private static List<string> Ids(JsonElement list) => list.EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();

    private static IEnumerable<string> Strings(JsonElement list, string name) =>
        list.EnumerateArray().Where(e => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String)
            .Select(e => e.GetProperty(name).GetString()!);
}
