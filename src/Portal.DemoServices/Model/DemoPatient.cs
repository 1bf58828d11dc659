using System.Text.Json.Nodes;

namespace Portal.DemoServices.Model;

internal sealed record DemoPatient(
    string Id,
    string TenantId,
    string FirstName,
    string LastName,
    string DateOfBirth,
    string? Gender,
    string? Email,
    string? Phone,
    string Mrn,
    string? LastVisit,
    string Status)
{
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["tenantId"] = TenantId,
        ["firstName"] = FirstName,
        ["lastName"] = LastName,
        ["dateOfBirth"] = DateOfBirth,
        ["gender"] = Gender,
        ["email"] = Email,
        ["phone"] = Phone,
        ["mrn"] = Mrn,
        ["lastVisit"] = LastVisit,
        ["status"] = Status,
    };

    // Records print every property; this one holds a password or PHI, so print the id only.
    public override string ToString() => $"DemoPatient {Id}";
}
