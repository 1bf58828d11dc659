using System.Text.Json.Nodes;

namespace Portal.DemoServices.Handlers;

/// <summary><c>htpi.patient.list</c>, <c>.get</c> and <c>.create</c>.</summary>
internal static class PatientHandlers
{
    public const string NotFound = "Patient not found";

    /// <summary>Longest text field a created patient may carry; the demo keeps its memory bounded.</summary>
    private const int MaxFieldLength = 200;

    public static DemoOutcome List(DemoStore store, DemoRequest request)
    {
        if (RequestGuard.Tenant(store, request, out var error) is not { } scope)
        {
            return DemoOutcome.ReplyWith(new() { ["patients"] = new JsonArray(), ["error"] = error });
        }
        var patients = store.Patients(scope.TenantId).Select(p => (JsonNode?)p.ToJson()).ToArray();
        return DemoOutcome.ReplyWith(new() { ["patients"] = new JsonArray(patients) });
    }

    /// <summary>A patient of another tenant is "not found": the answer must not reveal that it exists.</summary>
    public static DemoOutcome Get(DemoStore store, DemoRequest request)
    {
        if (RequestGuard.Tenant(store, request, out var error) is not { } scope)
        {
            return Failure(error);
        }
        var patientId = request.String("patientId");
        var patient = DemoIds.IsValid(patientId) ? store.Patient(scope.TenantId, patientId!) : null;
        return patient is null
            ? Failure(NotFound)
            : DemoOutcome.ReplyWith(new() { ["success"] = true, ["patient"] = patient.ToJson() });
    }

    /// <summary>Creates the patient, answers, then broadcasts <c>created</c> to the tenant as the real service does.</summary>
    public static DemoOutcome Create(DemoStore store, DemoRequest request)
    {
        if (RequestGuard.Tenant(store, request, out var error) is not { } scope)
        {
            return Failure(error);
        }
        if (Parse(request.Object("patient"), out var problem) is not { } input)
        {
            return Failure(problem);
        }
        if (store.CreatePatient(scope.TenantId, input) is not { } patient)
        {
            return Failure(RequestGuard.AccessDenied);
        }
        var broadcast = new DemoPublication(DemoSubjects.PatientsBroadcast(scope.TenantId), new JsonObject
        {
            ["responseType"] = "created",
            ["patient"] = patient.ToJson(),
            ["tenantId"] = scope.TenantId,
        });
        return DemoOutcome.ReplyWith(new() { ["success"] = true, ["patient"] = patient.ToJson() }, broadcast);
    }

    private static NewPatient? Parse(JsonObject? body, out string problem)
    {
        string? Field(string name) =>
            body is not null && body.TryGetPropertyValue(name, out var n) && n is JsonValue v && v.TryGetValue<string>(out var s)
                ? s.Trim()
                : null;

        var first = Field("firstName");
        var last = Field("lastName");
        var dob = Field("dateOfBirth");
        if (string.IsNullOrEmpty(first) || string.IsNullOrEmpty(last) || string.IsNullOrEmpty(dob))
        {
            problem = "firstName, lastName and dateOfBirth are required";
            return null;
        }
        if (!DateOnly.TryParseExact(dob, "yyyy-MM-dd", out _))
        {
            problem = "dateOfBirth must be YYYY-MM-DD";
            return null;
        }
        string?[] all = [first, last, dob, Field("gender"), Field("email"), Field("phone")];
        if (all.Any(f => f is { Length: > MaxFieldLength }))
        {
            problem = $"Fields are limited to {MaxFieldLength} characters";
            return null;
        }
        problem = "";
        return new NewPatient(first, last, dob, NullIfEmpty(all[3]), NullIfEmpty(all[4]), NullIfEmpty(all[5]));
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static DemoOutcome Failure(string error) =>
        DemoOutcome.ReplyWith(new() { ["success"] = false, ["error"] = error });
}
