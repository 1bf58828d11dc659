using System.Text;
using Portal.Protocol.Browser;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;
using static Portal.Protocol.Tests.JsonAssert;

namespace Portal.Protocol.Tests;

/// <summary>What the portal writes: browser pushes (PROTOCOL.md §1) and NATS request bodies (§2).</summary>
public class ContractJsonTests
{
    private const string DemoUserJson =
        """{"id":"u1","email":"demo@htpi.com","name":"Demo","role":"customer","tenants":["tenant-001"]}""";

    private static readonly SessionUser DemoUser =
        new("u1", "demo@htpi.com", "Demo", "customer", Element("""["tenant-001"]"""));

    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void ToUtf8_LoginResponseSuccess_CamelCaseWithoutNulls() => Equal(
        $$"""{"success":true,"user":{{DemoUserJson}},"token":"t","requestId":"r-1"}""",
        PortalJson.ToUtf8(new LoginResponse(true, DemoUser, "t", null, "r-1")));

    [Fact]
    public void ToUtf8_LoginResponseFailure_OnlySuccessErrorAndRequestId() => Equal(
        """{"success":false,"error":"Invalid email or password","requestId":"r-1"}""",
        PortalJson.ToUtf8(new LoginResponse(false, null, null, "Invalid email or password", "r-1")));

    [Fact]
    public void ToUtf8_LoginResponseWithoutRequestId_RequestIdOmitted() => Assert.Equal(
        """{"success":false,"error":"x"}""",
        Encoding.UTF8.GetString(PortalJson.ToUtf8(new LoginResponse(false, null, null, "x", null))));

    [Fact]
    public void ToUtf8_SessionUserWithoutOptionals_OnlyIdAndEmail() => Equal(
        """{"success":true,"user":{"id":"u1","email":"demo@htpi.com"}}""",
        PortalJson.ToUtf8(new LoginResponse(true, new SessionUser("u1", "demo@htpi.com", null, null, null), null, null, null)));

    [Fact]
    public void ToUtf8_ResumeResponseRecovered_AllFields() => Equal(
        $$"""{"success":true,"user":{{DemoUserJson}},"tenantId":"tenant-001","subscriptions":["dashboard","patients"],"recovered":true,"requestId":"r-2"}""",
        PortalJson.ToUtf8(new ResumeResponse(true, DemoUser, "tenant-001", ["dashboard", "patients"], true, null, "r-2")));

    [Fact]
    public void ToUtf8_ResumeResponseFreshSession_NoTenantAndRecoveredFalse() => Equal(
        $$"""{"success":true,"user":{{DemoUserJson}},"subscriptions":[],"recovered":false}""",
        PortalJson.ToUtf8(new ResumeResponse(true, DemoUser, null, [], false, null, null)));

    [Fact]
    public void ToUtf8_ResumeResponseWithoutLastSeq_RecoveredOmitted() => Equal(
        """{"success":false,"error":"Session expired"}""",
        PortalJson.ToUtf8(new ResumeResponse(false, null, null, null, null, "Session expired", null)));

    [Theory]
    [InlineData(true, null, null, """{"success":true}""")]
    [InlineData(true, null, "r-3", """{"success":true,"requestId":"r-3"}""")]
    [InlineData(false, "Not subscribed", "r-3", """{"success":false,"error":"Not subscribed","requestId":"r-3"}""")]
    public void ToUtf8_SuccessResponse_Exact(bool success, string? error, string? requestId, string expected) =>
        Equal(expected, PortalJson.ToUtf8(new SuccessResponse(success, error, requestId)));

    [Fact]
    public void ToUtf8_TenantsListResponse_TenantsPassThroughUntouched() => Equal(
        """{"tenants":[{"id":"tenant-001","name":"Mercy General Hospital","status":"active","settings":{"theme":"blue"},"created_at":"2024-01-01T00:00:00Z"}],"requestId":"r-4"}""",
        PortalJson.ToUtf8(new TenantsListResponse(
            Element("""[{"id":"tenant-001","name":"Mercy General Hospital","status":"active","settings":{"theme":"blue"},"created_at":"2024-01-01T00:00:00Z"}]"""),
            null,
            "r-4")));

    [Fact]
    public void ToUtf8_TenantsListResponseFailure_EmptyTenantsAndError() => Equal(
        """{"tenants":[],"error":"Service unavailable"}""",
        PortalJson.ToUtf8(new TenantsListResponse(Element("[]"), "Service unavailable", null)));

    [Fact]
    public void ToUtf8_TenantSelectResponse_Exact() => Equal(
        """{"success":true,"tenantId":"tenant-001","tenant":{"id":"tenant-001","created_at":"2024-01-01"},"requestId":"r-5"}""",
        PortalJson.ToUtf8(new TenantSelectResponse(true, "tenant-001", Element("""{"id":"tenant-001","created_at":"2024-01-01"}"""), null, "r-5")));

    [Fact]
    public void ToUtf8_TenantSelectResponseRefused_TenantOmitted() => Equal(
        """{"success":false,"tenantId":"tenant-002","error":"Access denied"}""",
        PortalJson.ToUtf8(new TenantSelectResponse(false, "tenant-002", null, "Access denied", null)));

    [Fact]
    public void ToUtf8_PatientResponse_PatientPassThrough() => Equal(
        """{"success":true,"patient":{"id":"p-1","firstName":"Jane","date_of_birth":"1980-01-31"},"requestId":"r-6"}""",
        PortalJson.ToUtf8(new PatientResponse(true, Element("""{"id":"p-1","firstName":"Jane","date_of_birth":"1980-01-31"}"""), null, "r-6")));

    [Fact]
    public void ToUtf8_PatientResponseFailure_PatientOmitted() => Equal(
        """{"success":false,"error":"Not allowed"}""",
        PortalJson.ToUtf8(new PatientResponse(false, null, "Not allowed", null)));

    [Fact]
    public void ToUtf8_ClaimsListResponse_Exact() => Equal(
        """{"claims":[{"id":"c-1","amount":125.5}],"requestId":"r-7"}""",
        PortalJson.ToUtf8(new ClaimsListResponse(Element("""[{"id":"c-1","amount":125.5}]"""), null, "r-7")));

    [Fact]
    public void ToUtf8_ClaimResponse_Exact() => Equal(
        """{"success":true,"claim":{"id":"c-1","status":"paid"}}""",
        PortalJson.ToUtf8(new ClaimResponse(true, Element("""{"id":"c-1","status":"paid"}"""), null, null)));

    [Fact]
    public void ToUtf8_InsuranceListResponse_Exact() => Equal(
        """{"insurance":[{"provider":"Acme"}],"error":"partial","requestId":"r-8"}""",
        PortalJson.ToUtf8(new InsuranceListResponse(Element("""[{"provider":"Acme"}]"""), "partial", "r-8")));

    [Theory]
    [InlineData(ErrorCodes.Forbidden, "r-9", EventNames.PatientsView, """{"code":"forbidden","message":"m","requestId":"r-9","method":"patients:view"}""")]
    [InlineData(ErrorCodes.SlowConsumer, null, null, """{"code":"slow_consumer","message":"m"}""")]
    public void ToUtf8_ErrorPush_Exact(string code, string? requestId, string? method, string expected) =>
        Equal(expected, PortalJson.ToUtf8(new ErrorPush(code, "m", requestId, method)));

    [Fact]
    public void ToUtf8_ConnectedPush_Exact() => Equal(
        """{"message":"Connected to HTPI customer portal","connectionId":"conn-1"}""",
        PortalJson.ToUtf8(new ConnectedPush("Connected to HTPI customer portal", "conn-1")));

    [Theory]
    [InlineData(ConnectionStatusPush.Ok, null, """{"nats":"ok"}""")]
    [InlineData(ConnectionStatusPush.Degraded, null, """{"nats":"degraded"}""")]
    [InlineData(ConnectionStatusPush.Ok, true, """{"nats":"ok","draining":true}""")]
    public void ToUtf8_ConnectionStatusPush_DrainingOnlyWhenSet(string nats, bool? draining, string expected) =>
        Equal(expected, PortalJson.ToUtf8(new ConnectionStatusPush(nats, draining)));

    [Fact]
    public void ToUtf8_SeqInfo_Exact() => Assert.Equal("""{"seq":42,"epoch":"2026-12-04T21:37:00.6830803Z"}""", Encoding.UTF8.GetString(PortalJson.ToUtf8(new SeqInfo(42, "2026-12-04T21:37:00.6830803Z"))));

    [Fact]
    public void ToUtf8_AuthLoginRequest_ServiceFieldNames()
    {
        var body = PortalJson.ToUtf8(new AuthLoginRequest("demo@htpi.com", "demo123", "customer", "abc", "r-1", At));

        Equal("""{"email":"demo@htpi.com","password":"demo123","portal":"customer","clientId":"abc","requestId":"r-1","timestamp":"2025-01-02T03:04:05+00:00"}""", body);
    }

    [Fact]
    public void ToUtf8_AuthVerifyRequest_Exact() =>
        Assert.Equal("""{"token":"t"}""", Encoding.UTF8.GetString(PortalJson.ToUtf8(new AuthVerifyRequest("t"))));

    [Fact]
    public void ToUtf8_SessionRevoked_Exact() => Equal(
        """{"tokenHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}""",
        PortalJson.ToUtf8(new SessionRevoked("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")));

    [Fact]
    public void ToUtf8_TenantListRequest_ServiceFieldNames() => Equal(
        """{"userId":"u1","userEmail":"demo@htpi.com","clientId":"abc","portal":"customer","requestId":"r-1"}""",
        PortalJson.ToUtf8(new TenantListRequest("u1", "demo@htpi.com", "abc", "customer", "r-1")));

    [Fact]
    public void ToUtf8_TenantAccessRequest_Exact() => Equal(
        """{"userId":"u1","tenantId":"tenant-001"}""",
        PortalJson.ToUtf8(new TenantAccessRequest("u1", "tenant-001")));

    [Fact]
    public void ToUtf8_TenantScopedRequest_Exact() => Equal(
        """{"tenantId":"tenant-001","userId":"u1"}""",
        PortalJson.ToUtf8(new TenantScopedRequest("tenant-001", "u1")));

    [Fact]
    public void ToUtf8_PatientScopedRequest_Exact() => Equal(
        """{"tenantId":"tenant-001","userId":"u1","patientId":"p-1"}""",
        PortalJson.ToUtf8(new PatientScopedRequest("tenant-001", "u1", "p-1")));

    [Fact]
    public void ToUtf8_ClaimScopedRequest_Exact() => Equal(
        """{"tenantId":"tenant-001","userId":"u1","claimId":"c-1"}""",
        PortalJson.ToUtf8(new ClaimScopedRequest("tenant-001", "u1", "c-1")));

    [Fact]
    public void ToUtf8_PatientCreateRequest_PatientPassThrough() => Equal(
        """{"tenantId":"tenant-001","userId":"u1","patient":{"firstName":"Jane","lastName":"Doe","dateOfBirth":"1980-01-31","extra":[1,null]}}""",
        PortalJson.ToUtf8(new PatientCreateRequest(
            "tenant-001", "u1", Element("""{"firstName":"Jane","lastName":"Doe","dateOfBirth":"1980-01-31","extra":[1,null]}"""))));

    [Theory]
    [InlineData(AuditAccess.PatientResource, "patient")]
    [InlineData(AuditAccess.ClaimsResource, "claims")]
    [InlineData(AuditAccess.ClaimResource, "claim")]
    [InlineData(AuditAccess.InsuranceResource, "insurance")]
    public void ToUtf8_AuditAccess_ResourceNamesAndUtcTimestamp(string resource, string expected) => Equal(
        $$"""{"userId":"u1","tenantId":"tenant-001","resource":"{{expected}}","resourceId":"p-1","at":"2025-01-02T03:04:05+00:00"}""",
        PortalJson.ToUtf8(new AuditAccess("u1", "tenant-001", resource, "p-1", At)));
}
