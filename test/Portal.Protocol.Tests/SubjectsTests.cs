using Portal.Protocol.Ids;

namespace Portal.Protocol.Tests;

public class SubjectsTests
{
    private static readonly TenantId Tenant001 = SafeId.Parse<TenantId>("tenant-001");

    [Theory]
    [InlineData(Subjects.AuthLogin, "htpi.auth.login")]
    [InlineData(Subjects.TenantListForUser, "htpi.tenant.list.for.user")]
    [InlineData(Subjects.AuthResponseWildcard, "customer.auth.response.*")]
    [InlineData(Subjects.TenantsResponseWildcard, "customer.tenants.response.*")]
    [InlineData(Subjects.AuthVerify, "htpi.auth.verify")]
    [InlineData(Subjects.TenantVerifyAccess, "htpi.tenant.verify.access")]
    [InlineData(Subjects.DashboardGetStats, "htpi.dashboard.get.stats")]
    [InlineData(Subjects.DashboardGetActivity, "htpi.dashboard.get.activity")]
    [InlineData(Subjects.PatientList, "htpi.patient.list")]
    [InlineData(Subjects.PatientGet, "htpi.patient.get")]
    [InlineData(Subjects.PatientCreate, "htpi.patient.create")]
    [InlineData(Subjects.ClaimsListForPatient, "htpi.claims.list.for.patient")]
    [InlineData(Subjects.ClaimsGet, "htpi.claims.get")]
    [InlineData(Subjects.InsuranceListForPatient, "htpi.insurance.list.for.patient")]
    [InlineData(Subjects.AuditAccess, "htpi.audit.access")]
    [InlineData(Subjects.SessionRevoked, "customer.session.revoked")]
    public void Constant_Always_MatchesProtocol(string actual, string expected) => Assert.Equal(expected, actual);

    [Theory]
    [InlineData(Feed.Dashboard, "tenant-001", "customer.broadcast.dashboard.tenant-001")]
    [InlineData(Feed.Patients, "tenant-001", "customer.broadcast.patients.tenant-001")]
    [InlineData(Feed.Claims, "tenant-001", "customer.broadcast.claims.tenant-001")]
    [InlineData(Feed.Patients, "a", "customer.broadcast.patients.a")]
    [InlineData(Feed.Claims, "a_B-9", "customer.broadcast.claims.a_B-9")]
    public void Broadcast_ValidTenant_ExactSubject(Feed feed, string tenant, string expected) =>
        Assert.Equal(expected, Subjects.Broadcast(feed, SafeId.Parse<TenantId>(tenant)));

    [Theory]
    [MemberData(nameof(BadIds.Valid), MemberType = typeof(BadIds))]
    public void Broadcast_AnyValidTenant_FourTokensEndingWithTheId(string tenant)
    {
        foreach (var feed in Enum.GetValues<Feed>())
        {
            var subject = Subjects.Broadcast(feed, SafeId.Parse<TenantId>(tenant));

            var tokens = subject.Split('.');
            Assert.Equal(4, tokens.Length);
            Assert.Equal(["customer", "broadcast"], tokens[..2]);
            Assert.Equal(tenant, tokens[3]);
        }
    }

    [Theory]
    [InlineData(Feed.Dashboard)]
    [InlineData(Feed.Patients)]
    [InlineData(Feed.Claims)]
    public void Broadcast_DefaultTenant_ThrowsArgumentException(Feed feed) =>
        Assert.Throws<ArgumentException>(() => Subjects.Broadcast(feed, default));

    [Fact]
    public void Broadcast_UndefinedFeed_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Subjects.Broadcast((Feed)42, Tenant001));

    [Theory]
    [MemberData(nameof(BadIds.Valid), MemberType = typeof(BadIds))]
    public void AuthResponse_ValidClientId_ExactSubject(string client) =>
        Assert.Equal("customer.auth.response." + client, Subjects.AuthResponse(SafeId.Parse<ClientId>(client)));

    [Theory]
    [MemberData(nameof(BadIds.Valid), MemberType = typeof(BadIds))]
    public void TenantsResponse_ValidClientId_ExactSubject(string client) =>
        Assert.Equal("customer.tenants.response." + client, Subjects.TenantsResponse(SafeId.Parse<ClientId>(client)));

    [Fact]
    public void AuthResponse_DefaultClientId_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => Subjects.AuthResponse(default));

    [Fact]
    public void TenantsResponse_DefaultClientId_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => Subjects.TenantsResponse(default));

    // Subjects take typed ids only, so a bad id is stopped where the id is made.
    [Theory]
    [MemberData(nameof(BadIds.All), MemberType = typeof(BadIds))]
    public void Broadcast_BadTenantText_NoSubjectCanBeBuilt(string? tenant)
    {
        Assert.False(SafeId.TryParse<TenantId>(tenant, out var id));
        Assert.Throws<ArgumentException>(() => Subjects.Broadcast(Feed.Patients, id));
        Assert.Throws<ArgumentException>(() => Subjects.Broadcast(Feed.Patients, SafeId.Parse<TenantId>(tenant)));
    }

    [Theory]
    [MemberData(nameof(BadIds.All), MemberType = typeof(BadIds))]
    public void AuthResponse_BadClientText_NoSubjectCanBeBuilt(string? client)
    {
        Assert.False(SafeId.TryParse<ClientId>(client, out var id));
        Assert.Throws<ArgumentException>(() => Subjects.AuthResponse(id));
        Assert.Throws<ArgumentException>(() => Subjects.TenantsResponse(id));
    }

    [Fact]
    public void TryParseClientReply_AuthResponseOfRandomClient_RoundTrips()
    {
        var client = ClientId.NewRandom();

        Assert.True(Subjects.TryParseClientReply(Subjects.AuthResponse(client), out var kind, out var parsed));
        Assert.Equal(ClientReplyKind.Auth, kind);
        Assert.Equal(client, parsed);
    }

    [Fact]
    public void TryParseClientReply_TenantsResponseOfRandomClient_RoundTrips()
    {
        var client = ClientId.NewRandom();

        Assert.True(Subjects.TryParseClientReply(Subjects.TenantsResponse(client), out var kind, out var parsed));
        Assert.Equal(ClientReplyKind.Tenants, kind);
        Assert.Equal(client, parsed);
    }

    [Theory]
    [InlineData("customer.auth.response.abc", ClientReplyKind.Auth, "abc")]
    [InlineData("customer.tenants.response.abc", ClientReplyKind.Tenants, "abc")]
    [InlineData("customer.auth.response.a_B-9", ClientReplyKind.Auth, "a_B-9")]
    public void TryParseClientReply_Literal_ReadsKindAndId(string subject, ClientReplyKind expectedKind, string expectedId)
    {
        Assert.True(Subjects.TryParseClientReply(subject, out var kind, out var id));
        Assert.Equal(expectedKind, kind);
        Assert.Equal(expectedId, id.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("htpi.auth.login")]
    [InlineData("customer.auth.response")]
    [InlineData("customer.auth.responseabc")]
    [InlineData("customer.auth.responses.abc")]
    [InlineData("customer.tenant.response.abc")]
    [InlineData("customer.broadcast.patients.abc")]
    [InlineData("Customer.auth.response.abc")]
    [InlineData("CUSTOMER.AUTH.RESPONSE.abc")]
    [InlineData(" customer.auth.response.abc")]
    [InlineData("x.customer.auth.response.abc")]
    [InlineData("admin.auth.response.abc")]
    public void TryParseClientReply_OtherPrefix_False(string subject)
    {
        Assert.False(Subjects.TryParseClientReply(subject, out _, out var id));
        Assert.Null(id.Value);
    }

    [Theory]
    [MemberData(nameof(NonNullData))]
    public void TryParseClientReply_BadId_False(string badId)
    {
        Assert.False(Subjects.TryParseClientReply("customer.auth.response." + badId, out _, out var auth));
        Assert.False(Subjects.TryParseClientReply("customer.tenants.response." + badId, out _, out var tenants));
        Assert.Null(auth.Value);
        Assert.Null(tenants.Value);
    }

    [Theory]
    [InlineData("customer.auth.response.abc.def")]
    [InlineData("customer.auth.response.abc.")]
    [InlineData("customer.auth.response.abc.>")]
    [InlineData("customer.auth.response..abc")]
    [InlineData("customer.tenants.response.abc.def")]
    [InlineData("customer.tenants.response.abc.*")]
    public void TryParseClientReply_ExtraTokens_False(string subject) =>
        Assert.False(Subjects.TryParseClientReply(subject, out _, out _));

    public static TheoryData<string> NonNullData => new(BadIds.NonNull);
}
