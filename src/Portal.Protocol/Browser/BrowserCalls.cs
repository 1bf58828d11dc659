using System.Text;
using System.Text.Json;
using Portal.Protocol.Ids;

namespace Portal.Protocol.Browser;

/// <summary>
/// A browser call after its shape and ids were checked. Every call may carry a requestId to be
/// echoed, and may name a tenant, which must then be the one the socket selected.
/// </summary>
public abstract record BrowserCall
{
    public abstract string Method { get; }

    public string? RequestId { get; init; }

    public TenantId? NamedTenant { get; init; }
}

public sealed record LoginCall(string Email, string Password) : BrowserCall
{
    public override string Method => EventNames.AuthLogin;

    // Records print every member; a password must never reach a log line.
    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Password = [redacted]");
        return true;
    }
}

/// <summary>The last <c>seq</c> the client saw per feed, sent with <c>auth:resume</c>.</summary>
public sealed record LastSeq(long? Dashboard, long? Patients, long? Claims);

/// <summary>
/// <c>auth:resume</c> with what the browser had: its token, and (for a session not held here) the tenant
/// to restore (<see cref="BrowserCall.NamedTenant"/>), the feeds it held, the last seq per feed and the
/// epoch those seqs belong to (PROTOCOL.md §3 "Resume").
/// </summary>
public sealed record ResumeCall(string Token, LastSeq? LastSeq) : BrowserCall
{
    public override string Method => EventNames.AuthResume;

    /// <summary>The feeds to restore with the tenant, each at most once.</summary>
    public IReadOnlyList<Feed> Subscriptions { get; init; } = [];

    /// <summary>The history the <see cref="LastSeq"/> values belong to.</summary>
    public string? Epoch { get; init; }

    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Token = [redacted]");
        return true;
    }
}

public sealed record LogoutCall : BrowserCall
{
    public override string Method => EventNames.AuthLogout;
}

public sealed record TenantsListCall : BrowserCall
{
    public override string Method => EventNames.TenantsList;
}

public sealed record TenantSelectCall(TenantId TenantId) : BrowserCall
{
    public override string Method => EventNames.TenantSelect;
}

public sealed record SubscribeCall(Feed Feed) : BrowserCall
{
    public override string Method => Feed switch
    {
        Feed.Dashboard => EventNames.DashboardSubscribe,
        Feed.Patients => EventNames.PatientsSubscribe,
        _ => EventNames.ClaimsSubscribe,
    };
}

public sealed record UnsubscribeCall(Feed Feed) : BrowserCall
{
    public override string Method => Feed switch
    {
        Feed.Dashboard => EventNames.DashboardUnsubscribe,
        Feed.Patients => EventNames.PatientsUnsubscribe,
        _ => EventNames.ClaimsUnsubscribe,
    };
}

public sealed record PatientViewCall(PatientId PatientId) : BrowserCall
{
    public override string Method => EventNames.PatientsView;
}

/// <summary>A new patient as the browser sent it; the service decides whether the role may add it.</summary>
public sealed record PatientAddCall(JsonElement Patient) : BrowserCall
{
    public override string Method => EventNames.PatientsAdd;

    protected override bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Patient = [redacted]");
        return true;
    }
}

public sealed record ClaimsListCall(PatientId PatientId) : BrowserCall
{
    public override string Method => EventNames.ClaimsList;
}

public sealed record ClaimGetCall(ClaimId ClaimId) : BrowserCall
{
    public override string Method => EventNames.ClaimsGet;
}

public sealed record InsuranceListCall(PatientId PatientId) : BrowserCall
{
    public override string Method => EventNames.InsuranceList;
}
