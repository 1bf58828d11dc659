using System.Text.Json.Nodes;

namespace Portal.DemoServices.Model;

internal sealed record DemoInsurance(
    string Id,
    string TenantId,
    string PatientId,
    string Provider,
    string PolicyNumber,
    string GroupNumber,
    string Type,
    string Status)
{
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["patientId"] = PatientId,
        ["provider"] = Provider,
        ["policyNumber"] = PolicyNumber,
        ["groupNumber"] = GroupNumber,
        ["type"] = Type,
        ["status"] = Status,
    };

    // Records print every property; this one holds a password or PHI, so print the id only.
    public override string ToString() => $"DemoInsurance {Id}";
}
