using System.Text.Json.Nodes;

namespace Portal.DemoServices.Model;

/// <summary>Dashboard numbers, always computed from the tenant's current claims so they agree with the lists.</summary>
internal sealed record DemoStats(
    int Patients,
    int Claims,
    int PendingClaims,
    int ApprovedClaims,
    int DeniedClaims,
    int PaidClaims,
    decimal TotalBilled,
    decimal TotalPaid,
    string UpdatedAt)
{
    public static DemoStats From(int patients, IReadOnlyCollection<DemoClaim> claims, string updatedAt) => new(
        patients,
        claims.Count,
        // "pending" on the dashboard means "not decided yet": submitted claims count too.
        claims.Count(c => c.Status is ClaimStatus.Submitted or ClaimStatus.Pending),
        claims.Count(c => c.Status is ClaimStatus.Approved),
        claims.Count(c => c.Status is ClaimStatus.Denied),
        claims.Count(c => c.Status is ClaimStatus.Paid),
        claims.Sum(c => c.Amount),
        claims.Where(c => c.Status is ClaimStatus.Paid).Sum(c => c.Amount),
        updatedAt);

    public JsonObject ToJson() => new()
    {
        ["patients"] = Patients,
        ["claims"] = Claims,
        ["pendingClaims"] = PendingClaims,
        ["approvedClaims"] = ApprovedClaims,
        ["deniedClaims"] = DeniedClaims,
        ["paidClaims"] = PaidClaims,
        ["totalBilled"] = TotalBilled,
        ["totalPaid"] = TotalPaid,
        ["updatedAt"] = UpdatedAt,
    };
}
