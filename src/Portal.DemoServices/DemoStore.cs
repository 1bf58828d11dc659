using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portal.DemoServices.Model;

namespace Portal.DemoServices;

/// <summary>
/// All demo state in memory. NATS handlers and the live feed run concurrently, so every read and
/// write goes through one lock; the records handed out are immutable snapshots.
/// </summary>
internal sealed class DemoStore
{
    private const int MaxActivities = 50;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<string, DemoUser> _usersById;
    private readonly Dictionary<string, DemoTenant> _tenants;
    private readonly Dictionary<string, TenantState> _data = new(StringComparer.Ordinal);
    private long _activitySeq;
    private long _auditCount;

    private sealed class TenantState
    {
        public required List<DemoPatient> Patients { get; init; }
        public required List<DemoInsurance> Insurance { get; init; }
        public required List<DemoClaim> Claims { get; init; }
        public List<DemoActivity> Activities { get; } = [];
        public int NextPatientNumber { get; set; }
    }

    public DemoStore(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _usersById = DemoData.Users.ToDictionary(u => u.Id, StringComparer.Ordinal);
        _tenants = DemoData.Tenants.ToDictionary(t => t.Id, StringComparer.Ordinal);
        foreach (var tenant in DemoData.Tenants)
        {
            var (patients, insurance, claims) = DemoData.SeedTenant(tenant.Id);
            var state = new TenantState
            {
                Patients = patients,
                Insurance = insurance,
                Claims = claims,
                NextPatientNumber = patients.Count + 1,
            };
            _data[tenant.Id] = state;
            AddActivityLocked(tenant.Id, state, "system", "Demo data loaded");
        }
    }

    public IReadOnlyCollection<string> TenantIds => _tenants.Keys;

    public long AuditCount => Interlocked.Read(ref _auditCount);

    public void RecordAudit() => Interlocked.Increment(ref _auditCount);

    // ---- users and tokens ----

    public static DemoUser? FindByCredentials(string email, string password)
    {
        var user = DemoData.Users.FirstOrDefault(u => string.Equals(u.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));
        // Compare in fixed time so the demo does not teach the portal team a timing leak.
        return user is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(user.Password), Encoding.UTF8.GetBytes(password)) ? user : null;
    }

    public DemoUser? FindUser(string userId) => _usersById.GetValueOrDefault(userId);

    /// <summary>Issues a random opaque token (see <see cref="DemoTokens"/>: it outlives a restart of the demo services).</summary>
    public string IssueToken(DemoUser user) => DemoTokens.Issue(user);

    public DemoUser? UserForToken(string? token) => DemoTokens.UserOf(token);

    // ---- tenants ----

    public IReadOnlyList<DemoTenant> TenantsFor(DemoUser user) =>
        user.TenantIds.Select(id => _tenants.GetValueOrDefault(id)).OfType<DemoTenant>().ToList();

    public bool HasAccess(string userId, string tenantId) =>
        FindUser(userId) is { } user && user.HasTenant(tenantId) && _tenants.ContainsKey(tenantId);

    // ---- tenant data (callers check access first) ----

    public IReadOnlyList<DemoPatient> Patients(string tenantId)
    {
        lock (_gate)
        {
            return _data.TryGetValue(tenantId, out var s) ? s.Patients.ToList() : [];
        }
    }

    public DemoPatient? Patient(string tenantId, string patientId)
    {
        lock (_gate)
        {
            return _data.TryGetValue(tenantId, out var s) ? s.Patients.Find(p => p.Id == patientId) : null;
        }
    }

    public IReadOnlyList<DemoClaim> ClaimsForPatient(string tenantId, string patientId)
    {
        lock (_gate)
        {
            return _data.TryGetValue(tenantId, out var s) ? s.Claims.Where(c => c.PatientId == patientId).ToList() : [];
        }
    }

    public DemoClaim? Claim(string tenantId, string claimId)
    {
        lock (_gate)
        {
            return _data.TryGetValue(tenantId, out var s) ? s.Claims.Find(c => c.Id == claimId) : null;
        }
    }

    public IReadOnlyList<DemoInsurance> InsuranceForPatient(string tenantId, string patientId)
    {
        lock (_gate)
        {
            return _data.TryGetValue(tenantId, out var s) ? s.Insurance.Where(i => i.PatientId == patientId).ToList() : [];
        }
    }

    public DemoStats Stats(string tenantId)
    {
        lock (_gate)
        {
            return _data.TryGetValue(tenantId, out var s)
                ? DemoStats.From(s.Patients.Count, s.Claims, Now())
                : DemoStats.From(0, [], Now());
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<DemoActivity> Activities(string tenantId, int max = 20)
    {
        lock (_gate)
        {
            return _data.TryGetValue(tenantId, out var s) ? s.Activities.AsEnumerable().Reverse().Take(max).ToList() : [];
        }
    }

    // ---- writes ----

    public DemoPatient? CreatePatient(string tenantId, NewPatient input)
    {
        lock (_gate)
        {
            if (!_data.TryGetValue(tenantId, out var s))
            {
                return null;
            }
            var patient = DemoData.Patient(tenantId, s.NextPatientNumber++, input.FirstName, input.LastName,
                input.DateOfBirth, input.Gender, input.Email, input.Phone, lastVisit: null);
            s.Patients.Add(patient);
            AddActivityLocked(tenantId, s, "patient", $"New patient registered ({patient.Id})");
            return patient;
        }
    }

    /// <summary>Moves one random claim of the tenant to its next status, as a payer would.</summary>
    public (DemoClaim Claim, DemoActivity Activity)? AdvanceRandomClaim(string tenantId, Random random)
    {
        lock (_gate)
        {
            if (!_data.TryGetValue(tenantId, out var s) || s.Claims.Count == 0)
            {
                return null;
            }
            var index = random.Next(s.Claims.Count);
            var old = s.Claims[index];
            var claim = old with
            {
                Status = DemoClaim.NextStatus(old.Status, deny: random.Next(4) == 0),
                UpdatedAt = Now(),
            };
            s.Claims[index] = claim;
            var activity = AddActivityLocked(tenantId, s, "claim", $"Claim {claim.Id} is now {claim.Status}");
            return (claim, activity);
        }
    }

    /// <summary>Records a visit for one random patient: a patient update for the live feed.</summary>
    public (DemoPatient Patient, DemoActivity Activity)? TouchRandomPatient(string tenantId, Random random)
    {
        lock (_gate)
        {
            if (!_data.TryGetValue(tenantId, out var s) || s.Patients.Count == 0)
            {
                return null;
            }
            var index = random.Next(s.Patients.Count);
            var patient = s.Patients[index] with
            {
                LastVisit = _time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            s.Patients[index] = patient;
            var activity = AddActivityLocked(tenantId, s, "appointment", $"Visit checked in ({patient.Id})");
            return (patient, activity);
        }
    }

    private DemoActivity AddActivityLocked(string tenantId, TenantState s, string type, string message)
    {
        var seq = Interlocked.Increment(ref _activitySeq);
        var activity = new DemoActivity($"act-{DemoData.TenantKey(tenantId)}-{seq}", type, message, Now());
        s.Activities.Add(activity);
        if (s.Activities.Count > MaxActivities)
        {
            s.Activities.RemoveAt(0);
        }
        return activity;
    }

    private string Now() => _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

/// <summary>The fields of <c>htpi.patient.create</c> the demo accepts; anything else in the body is ignored.</summary>
internal sealed record NewPatient(string FirstName, string LastName, string DateOfBirth, string? Gender, string? Email, string? Phone)
{
    public override string ToString() => "NewPatient";
}
