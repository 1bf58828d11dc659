using System.Text.Json.Nodes;

namespace Portal.DemoServices.Tests.Integration;

/// <summary>Patients, claims and insurance, and the tenant wall between them.</summary>
[Collection(DemoServicesCollection.Name)]
public sealed class PatientDataTests(DemoServicesFixture fixture) : IAsyncLifetime
{
    private TestClient _client = null!;
    private string _demoToken = "";
    private string _johnToken = "";

    public async Task InitializeAsync()
    {
        _client = await TestClient.ConnectAsync(fixture.Nats.Url);
        (_, _demoToken) = await _client.SessionAsync("demo@htpi.com", "demo123");
        (_, _johnToken) = await _client.SessionAsync("john@example.com", "password123");
    }

    public async Task DisposeAsync() => await _client.DisposeAsync();

    private Task<JsonObject> Demo(string subject, string tenantId, string? idName = null, string? id = null) =>
        _client.RequestAsync(subject, Body("user-demo", tenantId, idName, id), _demoToken);

    private static JsonObject Body(string userId, string tenantId, string? idName = null, string? id = null)
    {
        var body = new JsonObject { ["tenantId"] = tenantId, ["userId"] = userId };
        if (idName is not null)
        {
            body[idName] = id;
        }
        return body;
    }

    private static List<JsonObject> Items(JsonObject answer, string name) =>
        answer[name]!.AsArray().Select(n => n!.AsObject()).ToList();

    [Fact]
    public async Task PatientList_Tenant001_AnswersSeededPatientsWithAllFields()
    {
        var patients = Items(await Demo("htpi.patient.list", "tenant-001"), "patients");

        Assert.InRange(patients.Count, 4, 20);
        Assert.Contains(patients, p => (string?)p["id"] == "p-001-01");
        Assert.All(patients, p =>
        {
            foreach (var field in new[] { "id", "firstName", "lastName", "dateOfBirth", "mrn" })
            {
                Assert.False(string.IsNullOrEmpty((string?)p[field]), field);
            }
            Assert.StartsWith("p-001-", (string)p["id"]!);
        });
    }

    [Fact]
    public async Task PatientList_SwitchTenant_SharesNoNamesOrIds()
    {
        var first = Items(await Demo("htpi.patient.list", "tenant-001"), "patients");
        var second = Items(await Demo("htpi.patient.list", "tenant-002"), "patients");

        var firstNames = first.Select(p => $"{p["firstName"]} {p["lastName"]}").ToHashSet();
        var lastNames = first.Select(p => (string)p["lastName"]!).ToHashSet();
        Assert.InRange(second.Count, 4, 20);
        Assert.DoesNotContain(second, p => firstNames.Contains($"{p["firstName"]} {p["lastName"]}"));
        Assert.DoesNotContain(second, p => lastNames.Contains((string)p["lastName"]!));
        Assert.DoesNotContain(second, p => ((string)p["id"]!).StartsWith("p-001-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PatientGet_OwnTenant_AnswersPatient()
    {
        var answer = await Demo("htpi.patient.get", "tenant-001", "patientId", "p-001-02");

        Assert.True((bool)answer["success"]!);
        Assert.Equal("p-001-02", (string?)answer["patient"]!["id"]);
    }

    [Fact]
    public async Task PatientGet_PatientOfOtherTenant_AnswersNotFound()
    {
        var answer = await Demo("htpi.patient.get", "tenant-001", "patientId", "p-002-01");

        Assert.False((bool)answer["success"]!);
        Assert.Equal("Patient not found", (string?)answer["error"]);
        Assert.Null(answer["patient"]);
    }

    [Fact]
    public async Task PatientGet_JohnOnTenant002_IsRefused()
    {
        var answer = await _client.RequestAsync("htpi.patient.get", Body("user-john", "tenant-002", "patientId", "p-002-01"), _johnToken);

        Assert.False((bool)answer["success"]!);
        Assert.Equal("Access denied", (string?)answer["error"]);
        Assert.Null(answer["patient"]);
    }

    [Theory]
    [InlineData("htpi.patient.list", "patients")]
    [InlineData("htpi.claims.list.for.patient", "claims")]
    [InlineData("htpi.insurance.list.for.patient", "insurance")]
    [InlineData("htpi.dashboard.get.activity", "activities")]
    public async Task Lists_JohnOnTenant002_AnswerEmpty(string subject, string listName)
    {
        var answer = await _client.RequestAsync(subject, Body("user-john", "tenant-002", "patientId", "p-002-01"), _johnToken);

        Assert.Empty(Items(answer, listName));
        Assert.Equal("Access denied", (string?)answer["error"]);
    }

    [Fact]
    public async Task PatientList_WithoutToken_AnswersUnauthorizedAndEmpty()
    {
        var answer = await _client.RequestAsync("htpi.patient.list", Body("user-demo", "tenant-001"), token: null);

        Assert.Empty(Items(answer, "patients"));
        Assert.Equal("Unauthorized", (string?)answer["error"]);
    }

    [Fact]
    public async Task PatientList_TokenOfAnotherUser_AnswersUnauthorized()
    {
        // john's token with demo's userId: a portal mixing up sessions must not get demo's tenants.
        var answer = await _client.RequestAsync("htpi.patient.list", Body("user-demo", "tenant-002"), _johnToken);

        Assert.Empty(Items(answer, "patients"));
        Assert.Equal("Unauthorized", (string?)answer["error"]);
    }

    [Fact]
    public async Task ClaimsList_SeededPatient_AnswersItsClaims()
    {
        var claims = Items(await Demo("htpi.claims.list.for.patient", "tenant-001", "patientId", "p-001-01"), "claims");

        Assert.InRange(claims.Count, 1, 3);
        Assert.All(claims, c =>
        {
            Assert.Equal("p-001-01", (string?)c["patientId"]);
            Assert.StartsWith("c-001-01-", (string)c["id"]!);
            Assert.Contains((string)c["status"]!, new[] { "submitted", "pending", "approved", "denied", "paid" });
            Assert.True((decimal)c["amount"]! > 0);
            Assert.NotNull(c["serviceDate"]);
            Assert.NotNull(c["description"]);
            Assert.NotNull(c["provider"]);
        });
    }

    [Fact]
    public async Task ClaimsGet_OwnTenant_AnswersClaim()
    {
        var answer = await Demo("htpi.claims.get", "tenant-002", "claimId", "c-002-01-1");

        Assert.True((bool)answer["success"]!);
        Assert.Equal("c-002-01-1", (string?)answer["claim"]!["id"]);
        Assert.Equal("p-002-01", (string?)answer["claim"]!["patientId"]);
    }

    [Fact]
    public async Task ClaimsGet_ClaimOfOtherTenant_AnswersNotFound()
    {
        var answer = await Demo("htpi.claims.get", "tenant-002", "claimId", "c-001-01-1");

        Assert.False((bool)answer["success"]!);
        Assert.NotNull(answer["error"]);
        Assert.Null(answer["claim"]);
    }

    [Fact]
    public async Task InsuranceList_SeededPatient_AnswersPrimaryFirst()
    {
        var records = Items(await Demo("htpi.insurance.list.for.patient", "tenant-001", "patientId", "p-001-02"), "insurance");

        Assert.InRange(records.Count, 1, 2);
        Assert.Equal("primary", (string?)records[0]["type"]);
        Assert.All(records, r =>
        {
            foreach (var field in new[] { "id", "provider", "policyNumber", "groupNumber", "type", "status" })
            {
                Assert.False(string.IsNullOrEmpty((string?)r[field]), field);
            }
        });
    }

    [Fact]
    public async Task InsuranceList_PatientOfOtherTenant_AnswersEmpty()
    {
        var records = Items(await Demo("htpi.insurance.list.for.patient", "tenant-002", "patientId", "p-001-02"), "insurance");

        Assert.Empty(records);
    }

    [Fact]
    public async Task PatientCreate_ValidPatient_AnswersNewIdAndBroadcastsCreated()
    {
        await using var broadcasts = await _client.Nats.SubscribeCoreAsync<byte[]>("customer.broadcast.patients.tenant-002");
        var body = Body("user-demo", "tenant-002");
        body["patient"] = new JsonObject { ["firstName"] = "Nora", ["lastName"] = "Quinlan", ["dateOfBirth"] = "1999-05-01", ["email"] = "nora@example.com" };

        var answer = await _client.RequestAsync("htpi.patient.create", body, _demoToken);

        Assert.True((bool)answer["success"]!);
        var id = (string)answer["patient"]!["id"]!;
        Assert.StartsWith("p-002-", id);
        Assert.Equal("Quinlan", (string?)answer["patient"]!["lastName"]);

        using var cts = new CancellationTokenSource(TestClient.Timeout);
        JsonObject created;
        do
        {
            // The live feed may publish "updated" on the same subject; wait for ours.
            created = TestClient.Decode((await broadcasts.Msgs.ReadAsync(cts.Token)).Data);
        }
        while ((string?)created["responseType"] != "created");
        Assert.Equal("tenant-002", (string?)created["tenantId"]);
        Assert.Equal(id, (string?)created["patient"]!["id"]);

        var fetched = await Demo("htpi.patient.get", "tenant-002", "patientId", id);
        Assert.True((bool)fetched["success"]!);
    }

    [Fact]
    public async Task PatientCreate_MissingLastName_AnswersFailure()
    {
        var body = Body("user-demo", "tenant-001");
        body["patient"] = new JsonObject { ["firstName"] = "Solo", ["dateOfBirth"] = "2000-01-01" };

        var answer = await _client.RequestAsync("htpi.patient.create", body, _demoToken);

        Assert.False((bool)answer["success"]!);
        Assert.NotNull(answer["error"]);
    }

    [Fact]
    public async Task PatientCreate_JohnOnTenant002_IsRefused()
    {
        var body = Body("user-john", "tenant-002");
        body["patient"] = new JsonObject { ["firstName"] = "Eve", ["lastName"] = "Intruder", ["dateOfBirth"] = "1990-01-01" };

        var answer = await _client.RequestAsync("htpi.patient.create", body, _johnToken);

        Assert.False((bool)answer["success"]!);
        Assert.Equal("Access denied", (string?)answer["error"]);
    }
}
