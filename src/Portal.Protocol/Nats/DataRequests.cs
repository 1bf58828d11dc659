using System.Text;
using System.Text.Json;

namespace Portal.Protocol.Nats;

// Request bodies of the tenant-scoped data subjects. Replies are passed through to the browser,
// so they are read as JSON, field by field, where they are used.

/// <summary>Body of htpi.dashboard.get.stats, htpi.dashboard.get.activity and htpi.patient.list.</summary>
public sealed record TenantScopedRequest(string TenantId, string UserId);

/// <summary>Body of htpi.patient.get, htpi.claims.list.for.patient and htpi.insurance.list.for.patient.</summary>
public sealed record PatientScopedRequest(string TenantId, string UserId, string PatientId);

public sealed record ClaimScopedRequest(string TenantId, string UserId, string ClaimId);

public sealed record PatientCreateRequest(string TenantId, string UserId, JsonElement Patient)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Patient = [redacted]");
        return true;
    }
}

/// <summary>Published once per PHI read: who read which resource of which tenant, when.</summary>
public sealed record AuditAccess(string UserId, string TenantId, string Resource, string ResourceId, DateTimeOffset At)
{
    public const string PatientResource = "patient";
    public const string ClaimsResource = "claims";
    public const string ClaimResource = "claim";
    public const string InsuranceResource = "insurance";
}
