using System.Text.Json;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;

namespace Portal.Protocol.Tests;

public class BrowserCallParserTests
{
    private const string RequestId = "r-1";

    /// <summary>The smallest proper argument of each call, as raw JSON values by field.</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> MinimalFields = new()
    {
        [EventNames.AuthLogin] = new() { ["email"] = "\"demo@htpi.com\"", ["password"] = "\"demo123\"" },
        [EventNames.AuthResume] = new() { ["token"] = "\"tok-1\"" },
        [EventNames.AuthLogout] = [],
        [EventNames.TenantsList] = [],
        [EventNames.TenantSelect] = new() { ["tenantId"] = "\"tenant-001\"" },
        [EventNames.DashboardSubscribe] = [],
        [EventNames.DashboardUnsubscribe] = [],
        [EventNames.PatientsSubscribe] = [],
        [EventNames.PatientsUnsubscribe] = [],
        [EventNames.PatientsView] = new() { ["patientId"] = "\"p-1\"" },
        [EventNames.PatientsAdd] = new()
        {
            ["patient"] = """{"firstName":"Jane","lastName":"Doe","dateOfBirth":"1980-01-31"}""",
        },
        [EventNames.ClaimsList] = new() { ["patientId"] = "\"p-1\"" },
        [EventNames.ClaimsGet] = new() { ["claimId"] = "\"c-1\"" },
        [EventNames.ClaimsSubscribe] = [],
        [EventNames.ClaimsUnsubscribe] = [],
        [EventNames.InsuranceList] = new() { ["patientId"] = "\"p-1\"" },
    };

    private static readonly string[] RequiredIdFields =
    [
        $"{EventNames.TenantSelect}|tenantId",
        $"{EventNames.PatientsView}|patientId",
        $"{EventNames.ClaimsList}|patientId",
        $"{EventNames.ClaimsGet}|claimId",
        $"{EventNames.InsuranceList}|patientId",
    ];

    private static readonly string[] NonStringValues =
        ["1", "0", "-1", "1.5", "true", "false", "[]", "[\"tenant-001\"]", "{}", "{\"id\":\"tenant-001\"}"];

    public static TheoryData<string, Type> ProperCalls => new()
    {
        { EventNames.AuthLogin, typeof(LoginCall) },
        { EventNames.AuthResume, typeof(ResumeCall) },
        { EventNames.AuthLogout, typeof(LogoutCall) },
        { EventNames.TenantsList, typeof(TenantsListCall) },
        { EventNames.TenantSelect, typeof(TenantSelectCall) },
        { EventNames.DashboardSubscribe, typeof(SubscribeCall) },
        { EventNames.DashboardUnsubscribe, typeof(UnsubscribeCall) },
        { EventNames.PatientsSubscribe, typeof(SubscribeCall) },
        { EventNames.PatientsUnsubscribe, typeof(UnsubscribeCall) },
        { EventNames.PatientsView, typeof(PatientViewCall) },
        { EventNames.PatientsAdd, typeof(PatientAddCall) },
        { EventNames.ClaimsList, typeof(ClaimsListCall) },
        { EventNames.ClaimsGet, typeof(ClaimGetCall) },
        { EventNames.ClaimsSubscribe, typeof(SubscribeCall) },
        { EventNames.ClaimsUnsubscribe, typeof(UnsubscribeCall) },
        { EventNames.InsuranceList, typeof(InsuranceListCall) },
    };

    public static TheoryData<string> AllMethods => new(MinimalFields.Keys);

    public static TheoryData<string> NoFieldMethods => new(MinimalFields.Where(m => m.Value.Count == 0).Select(m => m.Key));

    public static TheoryData<string> FieldMethods => new(MinimalFields.Where(m => m.Value.Count > 0).Select(m => m.Key));

    public static TheoryData<string, string> NonObjectArguments => Cross(
        MinimalFields.Keys, ["[]", "[{}]", "\"x\"", "\"\"", "\"{}\"", "1", "0", "1.5", "true", "false"]);

    public static TheoryData<string, string, string?> BadRequiredIds
    {
        get
        {
            var data = new TheoryData<string, string, string?>();
            foreach (var pair in RequiredIdFields.Select(p => p.Split('|')))
            {
                foreach (var id in BadIds.NonNull)
                {
                    data.Add(pair[0], pair[1], id);
                }

                data.Add(pair[0], pair[1], null);
            }

            return data;
        }
    }

    public static TheoryData<string, string, string> NonStringRequiredIds
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var pair in RequiredIdFields.Select(p => p.Split('|')))
            {
                foreach (var value in NonStringValues)
                {
                    data.Add(pair[0], pair[1], value);
                }
            }

            return data;
        }
    }

    public static TheoryData<string, string> BadOptionalTenants => Cross(
        MinimalFields.Keys.Where(m => m != EventNames.TenantSelect),
        BadIds.NonNull.Select(Quote).Concat(NonStringValues));

    [Theory]
    [MemberData(nameof(ProperCalls))]
    public void TryParse_ProperObject_TypedCallWithRequestIdAndTenant(string method, Type expectedType)
    {
        var args = Args(method, ("requestId", Quote(RequestId)), ("tenantId", "\"tenant-001\""));

        var call = AssertParsed(method, args);

        Assert.IsType(expectedType, call);
        Assert.Equal(method, call.Method);
        Assert.Equal(RequestId, call.RequestId);
        Assert.Equal(SafeId.Parse<TenantId>("tenant-001"), call.NamedTenant);
    }

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void TryParse_ProperObjectWithoutOptionals_NoRequestIdNorNamedTenant(string method)
    {
        var call = AssertParsed(method, Args(method));

        Assert.Equal(method, call.Method);
        Assert.Null(call.RequestId);
        if (method == EventNames.TenantSelect)
        {
            // The tenant a select names is the tenant it selects.
            Assert.Equal("tenant-001", call.NamedTenant?.Value);
        }
        else
        {
            Assert.Null(call.NamedTenant);
        }
    }

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void TryParse_NullOptionals_SameAsAbsent(string method)
    {
        var call = AssertParsed(method, Args(method, ("requestId", "null"), ("tenantId", method == EventNames.TenantSelect ? "\"t\"" : "null")));

        Assert.Null(call.RequestId);
        Assert.Equal(method == EventNames.TenantSelect ? "t" : null, call.NamedTenant?.Value);
    }

    [Fact]
    public void TryParse_Login_CarriesEmailAndPassword()
    {
        var call = Assert.IsType<LoginCall>(AssertParsed(EventNames.AuthLogin, Json("""{"email":"demo@htpi.com","password":"demo123"}""")));

        Assert.Equal("demo@htpi.com", call.Email);
        Assert.Equal("demo123", call.Password);
    }

    [Fact]
    public void TryParse_ResumeWithoutLastSeq_NoLastSeq()
    {
        var call = Assert.IsType<ResumeCall>(AssertParsed(EventNames.AuthResume, Json("""{"token":"tok-1"}""")));

        Assert.Equal("tok-1", call.Token);
        Assert.Null(call.LastSeq);
    }

    [Fact]
    public void TryParse_ResumeWithTenantFeedsAndEpoch_CarriesWhatTheBrowserHad()
    {
        var call = Assert.IsType<ResumeCall>(AssertParsed(EventNames.AuthResume, Json(
            """{"token":"t","tenantId":"tenant-002","subscriptions":["patients","dashboard"],"lastSeq":{"patients":4},"epoch":"e-1"}""")));

        Assert.Equal("tenant-002", call.NamedTenant?.Value);
        Assert.Equal([Feed.Patients, Feed.Dashboard], call.Subscriptions);
        Assert.Equal("e-1", call.Epoch);
    }

    [Theory]
    [InlineData("""{"token":"t","subscriptions":"patients"}""")]
    [InlineData("""{"token":"t","subscriptions":["patients","patients"]}""")]
    [InlineData("""{"token":"t","subscriptions":["billing"]}""")]
    [InlineData("""{"token":"t","subscriptions":[1]}""")]
    [InlineData("""{"token":"t","subscriptions":["dashboard","patients","claims","dashboard"]}""")]
    [InlineData("""{"token":"t","epoch":5}""")]
    public void TryParse_ResumeWithMalformedFeedsOrEpoch_InvalidArgument(string args) =>
        AssertInvalid(EventNames.AuthResume, Json(args), expectedRequestId: null);

    [Theory]
    [InlineData("""{"token":"t","lastSeq":null}""", null, null, null, false)]
    [InlineData("""{"token":"t","lastSeq":{}}""", null, null, null, true)]
    [InlineData("""{"token":"t","lastSeq":{"dashboard":0}}""", 0L, null, null, true)]
    [InlineData("""{"token":"t","lastSeq":{"dashboard":1,"patients":2,"claims":3}}""", 1L, 2L, 3L, true)]
    [InlineData("""{"token":"t","lastSeq":{"patients":null,"claims":9007199254740991}}""", null, null, 9007199254740991L, true)]
    [InlineData("""{"token":"t","lastSeq":{"claims":9223372036854775807}}""", null, null, long.MaxValue, true)]
    [InlineData("""{"token":"t","lastSeq":{"other":-5,"patients":7}}""", null, 7L, null, true)]
    public void TryParse_ResumeWithLastSeq_CarriesEachFeed(string args, long? dashboard, long? patients, long? claims, bool present)
    {
        var call = Assert.IsType<ResumeCall>(AssertParsed(EventNames.AuthResume, Json(args)));

        Assert.Equal(present ? new LastSeq(dashboard, patients, claims) : null, call.LastSeq);
    }

    [Theory]
    [InlineData("dashboard", "-1")]
    [InlineData("patients", "-1")]
    [InlineData("claims", "-1")]
    [InlineData("dashboard", "-9223372036854775808")]
    [InlineData("dashboard", "\"1\"")]
    [InlineData("patients", "\"\"")]
    [InlineData("claims", "\"abc\"")]
    [InlineData("dashboard", "1.5")]
    [InlineData("patients", "0.1")]
    [InlineData("claims", "-0.5")]
    [InlineData("dashboard", "9223372036854775808")]
    [InlineData("dashboard", "1e400")]
    [InlineData("patients", "true")]
    [InlineData("claims", "[]")]
    [InlineData("claims", "[1]")]
    [InlineData("dashboard", "{}")]
    public void TryParse_ResumeWithBadSeq_InvalidArgument(string feed, string value) =>
        AssertInvalid(EventNames.AuthResume, Json($$$"""{"token":"t","requestId":"{{{RequestId}}}","lastSeq":{"{{{feed}}}":{{{value}}}}}"""), RequestId);

    [Theory]
    [InlineData("1")]
    [InlineData("\"1\"")]
    [InlineData("[]")]
    [InlineData("[1,2,3]")]
    [InlineData("true")]
    public void TryParse_ResumeWithNonObjectLastSeq_InvalidArgument(string value) =>
        AssertInvalid(EventNames.AuthResume, Json($$"""{"token":"t","requestId":"{{RequestId}}","lastSeq":{{value}}}"""), RequestId);

    [Theory]
    [InlineData(EventNames.TenantSelect, "tenant-001")]
    [InlineData(EventNames.TenantSelect, "a")]
    public void TryParse_TenantSelect_CarriesTenantId(string method, string tenant)
    {
        var call = Assert.IsType<TenantSelectCall>(AssertParsed(method, Json($$"""{"tenantId":"{{tenant}}"}""")));

        Assert.Equal(tenant, call.TenantId.Value);
    }

    [Fact]
    public void TryParse_PatientIdCalls_CarryPatientId()
    {
        var args = Json("""{"patientId":"p_42-X"}""");

        Assert.Equal("p_42-X", Assert.IsType<PatientViewCall>(AssertParsed(EventNames.PatientsView, args)).PatientId.Value);
        Assert.Equal("p_42-X", Assert.IsType<ClaimsListCall>(AssertParsed(EventNames.ClaimsList, args)).PatientId.Value);
        Assert.Equal("p_42-X", Assert.IsType<InsuranceListCall>(AssertParsed(EventNames.InsuranceList, args)).PatientId.Value);
    }

    [Fact]
    public void TryParse_ClaimsGet_CarriesClaimId()
    {
        var call = Assert.IsType<ClaimGetCall>(AssertParsed(EventNames.ClaimsGet, Json("""{"claimId":"CLM-0001"}""")));

        Assert.Equal("CLM-0001", call.ClaimId.Value);
    }

    [Theory]
    [InlineData(EventNames.DashboardSubscribe, Feed.Dashboard)]
    [InlineData(EventNames.PatientsSubscribe, Feed.Patients)]
    [InlineData(EventNames.ClaimsSubscribe, Feed.Claims)]
    public void TryParse_Subscribe_CarriesFeed(string method, Feed feed) =>
        Assert.Equal(feed, Assert.IsType<SubscribeCall>(AssertParsed(method, Json("{}"))).Feed);

    [Theory]
    [InlineData(EventNames.DashboardUnsubscribe, Feed.Dashboard)]
    [InlineData(EventNames.PatientsUnsubscribe, Feed.Patients)]
    [InlineData(EventNames.ClaimsUnsubscribe, Feed.Claims)]
    public void TryParse_Unsubscribe_CarriesFeed(string method, Feed feed) =>
        Assert.Equal(feed, Assert.IsType<UnsubscribeCall>(AssertParsed(method, Json("{}"))).Feed);

    [Theory]
    [MemberData(nameof(NoFieldMethods))]
    public void TryParse_NoFieldCallWithUndefinedArgument_Parses(string method) =>
        Assert.Equal(method, AssertParsed(method, default).Method);

    [Theory]
    [MemberData(nameof(NoFieldMethods))]
    public void TryParse_NoFieldCallWithNullArgument_Parses(string method) =>
        Assert.Equal(method, AssertParsed(method, Json("null")).Method);

    [Theory]
    [MemberData(nameof(NoFieldMethods))]
    public void TryParse_NoFieldCallWithUnknownFields_Parses(string method) =>
        Assert.Equal(method, AssertParsed(method, Json("""{"foo":1,"bar":[null]}""")).Method);

    [Theory]
    [MemberData(nameof(FieldMethods))]
    public void TryParse_FieldCallWithNullArgument_InvalidArgument(string method)
    {
        AssertInvalid(method, Json("null"), null);
        AssertInvalid(method, default, null);
        AssertInvalid(method, Json("{}"), null);
        AssertInvalid(method, Json($$"""{"requestId":"{{RequestId}}"}"""), RequestId);
    }

    [Theory]
    [MemberData(nameof(NonObjectArguments))]
    public void TryParse_NonObjectArgument_InvalidArgument(string method, string args) =>
        AssertInvalid(method, Json(args), null);

    [Theory]
    [InlineData("")]
    [InlineData("auth:Login")]
    [InlineData("AuthLogin")]
    [InlineData("auth:login ")]
    [InlineData(" auth:login")]
    [InlineData("auth:login:response")]
    [InlineData("admin:users:list")]
    [InlineData("patients:delete")]
    [InlineData("auth:login\n")]
    [InlineData("bad\r\nInjected: line")]
    [InlineData("bell\u0007\u001b[31mred")]
    [InlineData("nul\0")]
    public void TryParse_UnknownMethod_InvalidArgumentWithPrintableMessage(string method)
    {
        var rejection = AssertInvalid(method, Json("{}"), null);

        // The client's text goes back printable and bounded, in the method field as in the message.
        Assert.All(rejection.Method, c => Assert.InRange(c, ' ', '~'));
        Assert.InRange(rejection.Method.Length, Math.Min(method.Length, 1), 70);
    }

    [Fact]
    public void TryParse_VeryLongUnknownMethod_MessageIsBounded()
    {
        var method = "x:" + new string('y', 10_000);

        var rejection = AssertInvalid(method, Json("{}"), null);

        Assert.DoesNotContain(method, rejection.Message, StringComparison.Ordinal);
        Assert.InRange(rejection.Message.Length, 1, 200);
        Assert.InRange(rejection.Method.Length, 1, 70);
    }

    [Theory]
    [InlineData(EventNames.AuthLogin, """{"password":"demo123"}""")]
    [InlineData(EventNames.AuthLogin, """{"email":"demo@htpi.com"}""")]
    [InlineData(EventNames.AuthLogin, """{"email":"","password":"demo123"}""")]
    [InlineData(EventNames.AuthLogin, """{"email":"demo@htpi.com","password":""}""")]
    [InlineData(EventNames.AuthLogin, """{"email":null,"password":"demo123"}""")]
    [InlineData(EventNames.AuthLogin, """{"email":"demo@htpi.com","password":null}""")]
    [InlineData(EventNames.AuthLogin, """{"Email":"demo@htpi.com","Password":"demo123"}""")]
    [InlineData(EventNames.AuthResume, """{}""")]
    [InlineData(EventNames.AuthResume, """{"token":""}""")]
    [InlineData(EventNames.AuthResume, """{"token":null}""")]
    [InlineData(EventNames.AuthResume, """{"lastSeq":{"dashboard":1}}""")]
    [InlineData(EventNames.TenantSelect, """{}""")]
    [InlineData(EventNames.TenantSelect, """{"tenant":"tenant-001"}""")]
    [InlineData(EventNames.TenantSelect, """{"TenantId":"tenant-001"}""")]
    [InlineData(EventNames.PatientsView, """{}""")]
    [InlineData(EventNames.PatientsView, """{"id":"p-1"}""")]
    [InlineData(EventNames.ClaimsList, """{}""")]
    [InlineData(EventNames.ClaimsGet, """{}""")]
    [InlineData(EventNames.ClaimsGet, """{"patientId":"p-1"}""")]
    [InlineData(EventNames.InsuranceList, """{}""")]
    [InlineData(EventNames.PatientsAdd, """{}""")]
    public void TryParse_MissingRequiredField_InvalidArgumentEchoingRequestId(string method, string args) =>
        AssertInvalid(method, WithRequestId(args), RequestId);

    [Theory]
    [InlineData("email", "1")]
    [InlineData("email", "true")]
    [InlineData("email", "[]")]
    [InlineData("email", "[\"demo@htpi.com\"]")]
    [InlineData("email", "{}")]
    [InlineData("password", "123456")]
    [InlineData("password", "false")]
    [InlineData("password", "[\"demo123\"]")]
    [InlineData("password", "{\"value\":\"demo123\"}")]
    public void TryParse_LoginFieldOfWrongType_InvalidArgument(string field, string value)
    {
        var args = Args(EventNames.AuthLogin, ("requestId", Quote(RequestId)), (field, value));

        var rejection = AssertInvalid(EventNames.AuthLogin, args, RequestId);

        Assert.DoesNotContain("demo123", rejection.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("123456", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("[]")]
    [InlineData("[\"tok\"]")]
    [InlineData("{}")]
    public void TryParse_ResumeTokenOfWrongType_InvalidArgument(string value) =>
        AssertInvalid(EventNames.AuthResume, Args(EventNames.AuthResume, ("requestId", Quote(RequestId)), ("token", value)), RequestId);

    [Theory]
    [InlineData("email", 254, true)]
    [InlineData("email", 255, false)]
    [InlineData("password", 4096, true)]
    [InlineData("password", 4097, false)]
    public void TryParse_LoginFieldLength_LimitEnforced(string field, int length, bool accepted)
    {
        var args = Args(EventNames.AuthLogin, (field, Quote(new string('s', length))));

        Assert.Equal(accepted, BrowserCallParser.TryParse(EventNames.AuthLogin, args, out _, out var rejection));
        if (!accepted)
        {
            Assert.Equal(ErrorCodes.InvalidArgument, rejection?.Code);
            Assert.DoesNotContain(new string('s', 50), rejection?.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(4096, true)]
    [InlineData(4097, false)]
    public void TryParse_ResumeTokenLength_LimitEnforced(int length, bool accepted) =>
        Assert.Equal(accepted, BrowserCallParser.TryParse(EventNames.AuthResume, Args(EventNames.AuthResume, ("token", Quote(new string('t', length)))), out _, out _));

    [Theory]
    [MemberData(nameof(BadRequiredIds))]
    public void TryParse_BadRequiredId_InvalidArgumentEchoingRequestId(string method, string field, string? id)
    {
        var args = Args(method, ("requestId", Quote(RequestId)), (field, id is null ? "null" : Quote(id)));

        var rejection = AssertInvalid(method, args, RequestId);

        Assert.Contains(field, rejection.Message, StringComparison.Ordinal);
        if (id is { Length: >= 3 })
        {
            Assert.DoesNotContain(id, rejection.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(NonStringRequiredIds))]
    public void TryParse_NonStringRequiredId_InvalidArgumentEchoingRequestId(string method, string field, string value) =>
        AssertInvalid(method, Args(method, ("requestId", Quote(RequestId)), (field, value)), RequestId);

    [Theory]
    [MemberData(nameof(BadOptionalTenants))]
    public void TryParse_BadOptionalTenantId_InvalidArgumentEchoingRequestId(string method, string tenantJson) =>
        AssertInvalid(method, Args(method, ("requestId", Quote(RequestId)), ("tenantId", tenantJson)), RequestId);

    [Theory]
    [MemberData(nameof(BadIds.Valid), MemberType = typeof(BadIds))]
    public void TryParse_ValidIdInEveryIdField_Accepted(string id)
    {
        foreach (var (method, field) in RequiredIdFields.Select(p => p.Split('|')).Select(p => (p[0], p[1])))
        {
            AssertParsed(method, Args(method, (field, Quote(id))));
        }

        foreach (var method in MinimalFields.Keys.Where(m => m != EventNames.TenantSelect))
        {
            Assert.Equal(id, AssertParsed(method, Args(method, ("tenantId", Quote(id)))).NamedTenant?.Value);
        }
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("1.5")]
    [InlineData("true")]
    [InlineData("[]")]
    [InlineData("[\"r-1\"]")]
    [InlineData("{}")]
    [InlineData("{\"id\":\"r-1\"}")]
    public void TryParse_RequestIdOfWrongType_InvalidArgumentWithoutRequestId(string value)
    {
        foreach (var method in MinimalFields.Keys)
        {
            AssertInvalid(method, Args(method, ("requestId", value)), null);
        }
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    [InlineData(100_000, false)]
    public void TryParse_RequestIdLength_LimitEnforced(int length, bool accepted)
    {
        var requestId = new string('r', length);

        var ok = BrowserCallParser.TryParse(EventNames.AuthLogout, Args(EventNames.AuthLogout, ("requestId", Quote(requestId))), out var call, out var rejection);

        Assert.Equal(accepted, ok);
        if (accepted)
        {
            Assert.Equal(requestId, call?.RequestId);
        }
        else
        {
            Assert.Equal(ErrorCodes.InvalidArgument, rejection?.Code);
            Assert.Null(rejection?.RequestId);
        }
    }

    [Fact]
    public void TryParse_PatientsAdd_CarriesWholePatientBeyondTheDocument()
    {
        PatientAddCall call;
        using (var document = JsonDocument.Parse(
            """{"requestId":"r-1","patient":{"firstName":"Jane","lastName":"Doe","dateOfBirth":"1980-01-31","gender":"F","address":{"city":"Springfield"}}}"""))
        {
            call = Assert.IsType<PatientAddCall>(AssertParsed(EventNames.PatientsAdd, document.RootElement));
        }

        // The document is gone: the patient must have been copied out of it.
        Assert.Equal(JsonValueKind.Object, call.Patient.ValueKind);
        Assert.Equal("Jane", call.Patient.GetProperty("firstName").GetString());
        Assert.Equal("Doe", call.Patient.GetProperty("lastName").GetString());
        Assert.Equal("1980-01-31", call.Patient.GetProperty("dateOfBirth").GetString());
        Assert.Equal("F", call.Patient.GetProperty("gender").GetString());
        Assert.Equal("Springfield", call.Patient.GetProperty("address").GetProperty("city").GetString());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("\"Jane Doe\"")]
    [InlineData("1")]
    [InlineData("true")]
    [InlineData("[]")]
    [InlineData("[{\"firstName\":\"Jane\",\"lastName\":\"Doe\",\"dateOfBirth\":\"1980-01-31\"}]")]
    [InlineData("{}")]
    [InlineData("""{"lastName":"Doe","dateOfBirth":"1980-01-31"}""")]
    [InlineData("""{"firstName":"Jane","dateOfBirth":"1980-01-31"}""")]
    [InlineData("""{"firstName":"Jane","lastName":"Doe"}""")]
    [InlineData("""{"firstName":"","lastName":"Doe","dateOfBirth":"1980-01-31"}""")]
    [InlineData("""{"firstName":"Jane","lastName":"","dateOfBirth":"1980-01-31"}""")]
    [InlineData("""{"firstName":"Jane","lastName":"Doe","dateOfBirth":""}""")]
    [InlineData("""{"firstName":null,"lastName":"Doe","dateOfBirth":"1980-01-31"}""")]
    [InlineData("""{"firstName":1,"lastName":"Doe","dateOfBirth":"1980-01-31"}""")]
    [InlineData("""{"firstName":"Jane","lastName":["Doe"],"dateOfBirth":"1980-01-31"}""")]
    [InlineData("""{"firstName":"Jane","lastName":"Doe","dateOfBirth":19800131}""")]
    [InlineData("""{"firstName":"Jane","lastName":"Doe","dateOfBirth":{"y":1980}}""")]
    [InlineData("""{"first_name":"Jane","last_name":"Doe","date_of_birth":"1980-01-31"}""")]
    public void TryParse_PatientsAddWithBadPatient_InvalidArgumentWithoutPhi(string patient)
    {
        var rejection = AssertInvalid(EventNames.PatientsAdd, Json($$"""{"requestId":"{{RequestId}}","patient":{{patient}}}"""), RequestId);

        Assert.DoesNotContain("Jane", rejection.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Doe", rejection.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1980", rejection.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxArgumentBytes_Always_Is64KiB() => Assert.Equal(64 * 1024, BrowserCallParser.MaxArgumentBytes);

    [Theory]
    [InlineData(EventNames.PatientsAdd, 65_537)]
    [InlineData(EventNames.AuthLogin, 1_048_576)]
    public void TooLarge_AnyMethod_PayloadTooLargeNamingSizeAndLimit(string method, int bytes)
    {
        var rejection = BrowserCallParser.TooLarge(method, bytes);

        Assert.Equal(ErrorCodes.PayloadTooLarge, rejection.Code);
        Assert.Equal(method, rejection.Method);
        Assert.Null(rejection.RequestId);
        Assert.Contains(bytes.ToString(System.Globalization.CultureInfo.InvariantCulture), rejection.Message, StringComparison.Ordinal);
        Assert.Contains("65536", rejection.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllMethods))]
    public void Refusal_ProperCall_EchoesMethodAndRequestIdWithTheGivenCode(string method)
    {
        var rejection = BrowserCallParser.Refusal(method, Args(method, ("requestId", Quote(RequestId))), ErrorCodes.RateLimited, "Slow down.");

        Assert.Equal(new CallRejection(ErrorCodes.RateLimited, "Slow down.", method, RequestId)
        {
            TenantId = method == EventNames.TenantSelect ? "tenant-001" : null,
        }, rejection);
    }

    [Fact]
    public void Refusal_BadShape_EchoesWhatTheParserCouldRead()
    {
        var badTenant = BrowserCallParser.Refusal(EventNames.TenantSelect, WithRequestId("""{"tenantId":"no such!"}"""), ErrorCodes.RateLimited, "Slow down.");
        var unknown = BrowserCallParser.Refusal("no:such\u0007", default, ErrorCodes.RateLimited, "Slow down.");

        Assert.Equal(new CallRejection(ErrorCodes.RateLimited, "Slow down.", EventNames.TenantSelect, RequestId), badTenant);
        Assert.Equal(new CallRejection(ErrorCodes.RateLimited, "Slow down.", "no:such?", null), unknown);
    }

    private static BrowserCall AssertParsed(string method, JsonElement args)
    {
        var ok = BrowserCallParser.TryParse(method, args, out var call, out var rejection);

        Assert.True(ok, rejection?.Message);
        Assert.Null(rejection);
        return Assert.IsAssignableFrom<BrowserCall>(call);
    }

    private static CallRejection AssertInvalid(string method, JsonElement args, string? expectedRequestId)
    {
        var ok = BrowserCallParser.TryParse(method, args, out var call, out var rejection);

        Assert.False(ok);
        Assert.Null(call);
        Assert.NotNull(rejection);
        Assert.Equal(ErrorCodes.InvalidArgument, rejection.Code);
        if (BrowserCallParser.Methods.Contains(method))
        {
            Assert.Equal(method, rejection.Method);
        }

        Assert.Equal(expectedRequestId, rejection.RequestId);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Message));
        Assert.DoesNotContain(rejection.Message, char.IsControl);
        return rejection;
    }

    /// <summary>The minimal argument of <paramref name="method"/>, with fields added or replaced.</summary>
    private static JsonElement Args(string method, params (string Name, string Json)[] overrides)
    {
        var fields = new Dictionary<string, string>(MinimalFields[method]);
        foreach (var (name, json) in overrides)
        {
            fields[name] = json;
        }

        return Json("{" + string.Join(",", fields.Select(f => $"{Quote(f.Key)}:{f.Value}")) + "}");
    }

    private static JsonElement WithRequestId(string args) =>
        Json(args.Length == 2 ? $$"""{"requestId":"{{RequestId}}"}""" : $$"""{"requestId":"{{RequestId}}",""" + args[1..]);

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static string Quote(string text) => "\"" + JsonEncodedText.Encode(text) + "\"";

    private static TheoryData<string, string> Cross(IEnumerable<string> methods, IEnumerable<string> values)
    {
        var data = new TheoryData<string, string>();
        var list = values.ToList();
        foreach (var method in methods)
        {
            foreach (var value in list)
            {
                data.Add(method, value);
            }
        }

        return data;
    }
}
