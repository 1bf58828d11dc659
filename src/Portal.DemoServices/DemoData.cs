using Portal.DemoServices.Model;

namespace Portal.DemoServices;

/// <summary>
/// The seed data of PROTOCOL.md §4. Deterministic, so tests and demos see the same ids every run.
/// Patient names never repeat across tenants: a test of a tenant switch looks for leftovers by name.
/// </summary>
internal static class DemoData
{
    public const string DemoUserId = "user-demo";
    public const string JohnUserId = "user-john";
    public const string Tenant1 = "tenant-001";
    public const string Tenant2 = "tenant-002";

    public static IReadOnlyList<DemoUser> Users { get; } =
    [
        new(DemoUserId, "demo@htpi.com", "demo123", "Demo User", "admin", [Tenant1, Tenant2]),
        new(JohnUserId, "john@example.com", "password123", "John Smith", "user", [Tenant1]),
    ];

    public static IReadOnlyList<DemoTenant> Tenants { get; } =
    [
        new(Tenant1, "Mercy General Hospital", "active", "America/New_York", "2024-01-15T09:00:00Z"),
        new(Tenant2, "Springfield Clinic", "active", "America/Chicago", "2024-03-02T14:30:00Z"),
    ];

    private sealed record PatientSeed(string First, string Last, string Dob, string Gender);

    private static readonly Dictionary<string, PatientSeed[]> s_patients = new(StringComparer.Ordinal)
    {
        [Tenant1] =
        [
            new("Alice", "Johnson", "1985-04-12", "female"),
            new("Robert", "Chen", "1972-11-03", "male"),
            new("Maria", "Garcia", "1990-07-25", "female"),
            new("James", "Wilson", "1958-02-14", "male"),
            new("Emily", "Davis", "2001-09-30", "female"),
        ],
        [Tenant2] =
        [
            new("Michael", "Brown", "1979-06-18", "male"),
            new("Sarah", "Miller", "1988-12-05", "female"),
            new("David", "Martinez", "1965-03-22", "male"),
            new("Linda", "Anderson", "1950-10-09", "female"),
            new("Kevin", "Thompson", "1995-01-27", "male"),
            new("Olivia", "Nguyen", "2010-08-14", "female"),
        ],
    };

    private static readonly string[] s_insurers = ["Blue Cross Blue Shield", "Aetna", "UnitedHealthcare", "Cigna", "Humana", "Medicare"];

    private static readonly (string Description, decimal Amount)[] s_services =
    [
        ("Annual physical examination", 250.00m),
        ("MRI - lumbar spine", 1850.00m),
        ("Comprehensive metabolic panel", 120.50m),
        ("Emergency room visit", 2400.00m),
        ("Physical therapy session", 175.00m),
        ("Cardiology consultation", 420.00m),
        ("Chest X-ray", 310.75m),
    ];

    private static readonly string[] s_statuses =
        [ClaimStatus.Submitted, ClaimStatus.Pending, ClaimStatus.Approved, ClaimStatus.Denied, ClaimStatus.Paid];

    private static readonly Dictionary<string, string[]> s_providers = new(StringComparer.Ordinal)
    {
        [Tenant1] = ["Dr. Priya Patel", "Dr. Samuel Okafor", "Dr. Hannah Lee"],
        [Tenant2] = ["Dr. Marcus Reed", "Dr. Elena Petrova", "Dr. Tom Alvarez"],
    };

    /// <summary>"tenant-001" → "001": the part patient and claim ids are built from.</summary>
    public static string TenantKey(string tenantId) =>
        tenantId.StartsWith("tenant-", StringComparison.Ordinal) ? tenantId["tenant-".Length..] : tenantId;

    public static DemoPatient Patient(string tenantId, int number, string first, string last, string dob, string? gender,
        string? email, string? phone, string? lastVisit) =>
        new($"p-{TenantKey(tenantId)}-{number:D2}", tenantId, first, last, dob, gender, email, phone,
            $"MRN-{TenantKey(tenantId)}-{1000 + number}", lastVisit, "active");

    /// <summary>Builds one tenant's patients, insurance and claims.</summary>
    public static (List<DemoPatient> Patients, List<DemoInsurance> Insurance, List<DemoClaim> Claims) SeedTenant(string tenantId)
    {
        var patients = new List<DemoPatient>();
        var insurance = new List<DemoInsurance>();
        var claims = new List<DemoClaim>();
        var key = TenantKey(tenantId);
        var seeds = s_patients.GetValueOrDefault(tenantId) ?? [];
        var providers = s_providers.GetValueOrDefault(tenantId) ?? ["Dr. Demo"];
        var salt = key.Length > 0 ? key[^1] - '0' : 0;

        for (var i = 0; i < seeds.Length; i++)
        {
            var s = seeds[i];
            var number = i + 1;
            var patient = Patient(tenantId, number, s.First, s.Last, s.Dob, s.Gender,
                $"{s.First.ToLowerInvariant()}.{s.Last.ToLowerInvariant()}@example.com",
                $"555-{key[^1]}{i:D2}-{4000 + (i * 37):D4}",
                $"2025-{1 + ((i + salt) % 12):D2}-{10 + i:D2}");
            patients.Add(patient);

            var policies = 1 + (i % 2);
            for (var k = 0; k < policies; k++)
            {
                insurance.Add(new DemoInsurance(
                    $"ins-{key}-{number:D2}-{k + 1}", tenantId, patient.Id,
                    s_insurers[(i + k + salt) % s_insurers.Length],
                    $"POL-{key}{number:D2}{k + 1}-{7000 + (i * 13):D4}",
                    $"GRP-{key}-{100 + i}",
                    k == 0 ? "primary" : "secondary",
                    "active"));
            }

            var claimCount = 1 + ((i + salt) % 3);
            for (var c = 0; c < claimCount; c++)
            {
                var service = s_services[(i + c + salt) % s_services.Length];
                claims.Add(new DemoClaim(
                    $"c-{key}-{number:D2}-{c + 1}", tenantId, patient.Id,
                    $"2025-{1 + ((i + c) % 12):D2}-{5 + (c * 7):D2}",
                    service.Amount,
                    s_statuses[(i + c) % s_statuses.Length],
                    service.Description,
                    providers[(i + c) % providers.Length],
                    "2025-06-01T12:00:00Z"));
            }
        }

        return (patients, insurance, claims);
    }
}
