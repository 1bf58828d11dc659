using Portal.Protocol.Browser;

namespace Portal.Protocol.Tests;

public class EventNamesTests
{
    /// <summary>The calls of PROTOCOL.md §1, as the browser spells them.</summary>
    public static readonly string[] ProtocolCalls =
    [
        "auth:login",
        "auth:resume",
        "auth:logout",
        "user:tenants:list",
        "user:tenant:select",
        "dashboard:subscribe",
        "dashboard:unsubscribe",
        "patients:subscribe",
        "patients:unsubscribe",
        "patients:view",
        "patients:add",
        "claims:list",
        "claims:get",
        "claims:subscribe",
        "claims:unsubscribe",
        "insurance:list",
    ];

    [Theory]
    [InlineData(EventNames.AuthLogin, "auth:login")]
    [InlineData(EventNames.AuthResume, "auth:resume")]
    [InlineData(EventNames.AuthLogout, "auth:logout")]
    [InlineData(EventNames.TenantsList, "user:tenants:list")]
    [InlineData(EventNames.TenantSelect, "user:tenant:select")]
    [InlineData(EventNames.DashboardSubscribe, "dashboard:subscribe")]
    [InlineData(EventNames.DashboardUnsubscribe, "dashboard:unsubscribe")]
    [InlineData(EventNames.PatientsSubscribe, "patients:subscribe")]
    [InlineData(EventNames.PatientsUnsubscribe, "patients:unsubscribe")]
    [InlineData(EventNames.PatientsView, "patients:view")]
    [InlineData(EventNames.PatientsAdd, "patients:add")]
    [InlineData(EventNames.ClaimsList, "claims:list")]
    [InlineData(EventNames.ClaimsGet, "claims:get")]
    [InlineData(EventNames.ClaimsSubscribe, "claims:subscribe")]
    [InlineData(EventNames.ClaimsUnsubscribe, "claims:unsubscribe")]
    [InlineData(EventNames.InsuranceList, "insurance:list")]
    [InlineData(EventNames.Connected, "connected")]
    [InlineData(EventNames.ConnectionStatus, "connection:status")]
    [InlineData(EventNames.Error, "error")]
    [InlineData(EventNames.DashboardStats, "dashboard:stats")]
    [InlineData(EventNames.DashboardActivity, "dashboard:activity")]
    [InlineData(EventNames.DashboardStatsUpdate, "dashboard:stats:update")]
    [InlineData(EventNames.DashboardActivityNew, "dashboard:activity:new")]
    [InlineData(EventNames.PatientsListed, "patients:list")]
    [InlineData(EventNames.PatientsNew, "patients:new")]
    [InlineData(EventNames.PatientsUpdated, "patients:updated")]
    [InlineData(EventNames.ClaimsUpdated, "claims:updated")]
    public void Constant_Always_MatchesProtocol(string actual, string expected) => Assert.Equal(expected, actual);

    [Theory]
    [InlineData(EventNames.AuthLogin, "auth:login:response")]
    [InlineData(EventNames.TenantsList, "user:tenants:list:response")]
    [InlineData(EventNames.TenantSelect, "user:tenant:select:response")]
    [InlineData(EventNames.PatientsAdd, "patients:add:response")]
    [InlineData(EventNames.DashboardUnsubscribe, "dashboard:unsubscribe:response")]
    public void ResponseOf_Call_AppendsResponse(string method, string expected) =>
        Assert.Equal(expected, EventNames.ResponseOf(method));

    [Fact]
    public void ParserMethods_Always_AreExactlyTheProtocolCalls() =>
        Assert.Equal(ProtocolCalls.Order(StringComparer.Ordinal), BrowserCallParser.Methods.Order(StringComparer.Ordinal));
}
