using System.Text;
using System.Text.Json;

namespace Portal.Protocol.Browser;

// The objects the portal pushes to the browser (PROTOCOL.md §1). Field names come from the
// camelCase JSON context; absent optional fields are omitted, not sent as null. Service data
// (patients, claims, tenants, stats) passes through untouched as JsonElement: the portal is a bridge.

public sealed record ConnectedPush(string Message, string ConnectionId);

public sealed record ConnectionStatusPush(string Nats, bool? Draining = null)
{
    public const string Ok = "ok";
    public const string Degraded = "degraded";
}

public sealed record ErrorPush(string Code, string Message, string? RequestId, string? Method);

/// <summary>
/// The second argument of every live push: the broadcast's place in the replay history and the history
/// it belongs to (PROTOCOL.md §1); <c>auth:resume</c> sends both back.
/// </summary>
public sealed record SeqInfo(long Seq, string Epoch);

/// <summary>The user as the browser sees it after login or resume.</summary>
public sealed record SessionUser(string Id, string Email, string? Name, string? Role, JsonElement? Tenants);

public sealed record LoginResponse(bool Success, SessionUser? User, string? Token, string? Error, string? RequestId)
{
    // Records print every member; a token must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Success = ").Append(Success).Append(", Token = [redacted]");
        return true;
    }
}

public sealed record ResumeResponse(
    bool Success,
    SessionUser? User,
    string? TenantId,
    IReadOnlyList<string>? Subscriptions,
    bool? Recovered,
    string? Error,
    string? RequestId)
{
    /// <summary>The history the session's live pushes number their <c>seq</c> in from now on.</summary>
    public string? Epoch { get; init; }
}

/// <summary>Answers calls whose only outcome is success or not (logout, unsubscribe, claims:subscribe).</summary>
public sealed record SuccessResponse(bool Success, string? Error, string? RequestId);

/// <summary>
/// <c>claims:subscribe:response</c>: the feed has no snapshot, so its answer says the seq it is live from
/// (in <see cref="Epoch"/>), as the second argument of a snapshot push does for the other feeds.
/// </summary>
public sealed record ClaimsSubscribedResponse(bool Success, string? Error, string? RequestId, long Seq, string Epoch);

public sealed record TenantsListResponse(JsonElement Tenants, string? Error, string? RequestId);

public sealed record TenantSelectResponse(bool Success, string TenantId, JsonElement? Tenant, string? Error, string? RequestId);

public sealed record PatientResponse(bool Success, JsonElement? Patient, string? Error, string? RequestId)
{
    // Patient, claim and insurance data is PHI: it must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Success = ").Append(Success).Append(", Patient = [redacted]");
        return true;
    }
}

public sealed record ClaimsListResponse(JsonElement Claims, string? Error, string? RequestId)
{
    // Patient, claim and insurance data is PHI: it must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Claims = [redacted]");
        return true;
    }
}

public sealed record ClaimResponse(bool Success, JsonElement? Claim, string? Error, string? RequestId)
{
    // Patient, claim and insurance data is PHI: it must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Success = ").Append(Success).Append(", Claim = [redacted]");
        return true;
    }
}

public sealed record InsuranceListResponse(JsonElement Insurance, string? Error, string? RequestId)
{
    // Patient, claim and insurance data is PHI: it must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Insurance = [redacted]");
        return true;
    }
}
