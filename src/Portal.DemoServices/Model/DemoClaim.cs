using System.Text.Json.Nodes;

namespace Portal.DemoServices.Model;

internal sealed record DemoClaim(
    string Id,
    string TenantId,
    string PatientId,
    string ServiceDate,
    decimal Amount,
    string Status,
    string Description,
    string Provider,
    string UpdatedAt)
{
    /// <summary>The order the live feed moves a claim through; a denied claim is resubmitted so the feed never runs dry.</summary>
    public static string NextStatus(string status, bool deny) => status switch
    {
        ClaimStatus.Submitted => ClaimStatus.Pending,
        ClaimStatus.Pending => deny ? ClaimStatus.Denied : ClaimStatus.Approved,
        ClaimStatus.Approved => ClaimStatus.Paid,
        _ => ClaimStatus.Submitted,
    };

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["patientId"] = PatientId,
        ["serviceDate"] = ServiceDate,
        ["amount"] = Amount,
        ["status"] = Status,
        ["description"] = Description,
        ["provider"] = Provider,
        ["updatedAt"] = UpdatedAt,
    };

    // Records print every property; a claim is PHI, so print the id only.
    public override string ToString() => $"DemoClaim {Id}";
}

internal static class ClaimStatus
{
    public const string Submitted = "submitted";
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string Paid = "paid";
}
