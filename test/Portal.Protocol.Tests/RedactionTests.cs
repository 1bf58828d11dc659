using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using Portal.Protocol.Nats;
using static Portal.Protocol.Tests.JsonAssert;

namespace Portal.Protocol.Tests;

/// <summary>
/// Records print every member by default; passwords, tokens and PHI must never reach a log line
/// through <c>ToString()</c> (PROTOCOL.md §3).
/// </summary>
public class RedactionTests
{
    private const string Password = "pw-Sup3rSecret";
    private const string Token = "tok-eyJhbGciOiJIUzI1NiJ9";
    private const string PatientJson =
        """{"firstName":"Janeqx","lastName":"Doeqx","dateOfBirth":"1911-11-11","ssn":"987-65-4321"}""";

    private static readonly string[] Phi = ["Janeqx", "Doeqx", "1911-11-11", "987-65-4321"];

    public static TheoryData<string, object> SecretCarriers => new()
    {
        { "LoginCall", new LoginCall("demo@htpi.com", Password) { RequestId = "r-1" } },
        { "ResumeCall", new ResumeCall(Token, new LastSeq(1, 2, 3)) },
        { "AuthLoginRequest", new AuthLoginRequest("demo@htpi.com", Password, "customer", "abc", "r-1", DateTimeOffset.UnixEpoch) },
        { "AuthVerifyRequest", new AuthVerifyRequest(Token) },
        {
            "AuthLoginReply",
            new AuthLoginReply(true, "abc", new ServiceUser("u1", "demo@htpi.com", "Demo", "customer", null), Token, null)
        },
        { "LoginResponse", new LoginResponse(true, new SessionUser("u1", "demo@htpi.com", null, null, null), Token, null, "r-1") },
    };

    public static TheoryData<string, object> PhiCarriers => new()
    {
        { "PatientAddCall", new PatientAddCall(Element(PatientJson)) { RequestId = "r-1" } },
        { "PatientCreateRequest", new PatientCreateRequest("tenant-001", "u1", Element(PatientJson)) },
        { "PatientResponse", new PatientResponse(true, Element(PatientJson), null, "r-1") },
        { "ClaimResponse", new ClaimResponse(true, Element(PatientJson), null, "r-1") },
        { "ClaimsListResponse", new ClaimsListResponse(Element($"[{PatientJson}]"), null, "r-1") },
        { "InsuranceListResponse", new InsuranceListResponse(Element($"[{PatientJson}]"), null, "r-1") },
    };

    [Theory]
    [MemberData(nameof(SecretCarriers))]
    public void ToString_PasswordOrTokenCarrier_NeverPrintsTheSecret(string type, object message)
    {
        var text = message.ToString();

        Assert.StartsWith(type, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PhiCarriers))]
    public void ToString_PhiCarrier_NeverPrintsThePayload(string type, object message)
    {
        var text = message.ToString();

        Assert.StartsWith(type, text, StringComparison.Ordinal);
        Assert.All(Phi, value => Assert.DoesNotContain(value, text, StringComparison.Ordinal));
    }

    [Fact]
    public void ToString_RedactedRecords_EqualityStillUsesEveryMember()
    {
        // Redaction is only about printing: two logins with different passwords are not equal.
        Assert.NotEqual(new LoginCall("a@b.c", "one"), new LoginCall("a@b.c", "two"));
        Assert.NotEqual(new AuthVerifyRequest("one"), new AuthVerifyRequest("two"));
    }

    [Fact]
    public void ToString_IdCall_PrintsTheId()
    {
        // Ids are not secrets; keeping them in the text keeps logs useful.
        var call = new PatientViewCall(SafeId.Parse<PatientId>("p-1"));

        Assert.Contains("p-1", call.ToString(), StringComparison.Ordinal);
    }
}
