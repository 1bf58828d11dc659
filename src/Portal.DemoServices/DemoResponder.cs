using Microsoft.Extensions.Logging;
using Portal.DemoServices.Handlers;

namespace Portal.DemoServices;

/// <summary>Routes each subject of PROTOCOL.md §2 to its handler. Pure: no NATS here, so it is testable without a server.</summary>
internal sealed partial class DemoResponder(DemoStore store, ILogger<DemoResponder> logger)
{
    private static readonly string[] s_auditResources = ["patient", "claims", "claim", "insurance"];

    private readonly Dictionary<string, Func<DemoStore, DemoRequest, DemoOutcome>> _handlers = new(StringComparer.Ordinal)
    {
        [DemoSubjects.AuthLogin] = AuthHandlers.Login,
        [DemoSubjects.AuthVerify] = AuthHandlers.Verify,
        [DemoSubjects.TenantListForUser] = TenantHandlers.ListForUser,
        [DemoSubjects.TenantVerifyAccess] = TenantHandlers.VerifyAccess,
        [DemoSubjects.DashboardStats] = DashboardHandlers.Stats,
        [DemoSubjects.DashboardActivity] = DashboardHandlers.Activity,
        [DemoSubjects.PatientList] = PatientHandlers.List,
        [DemoSubjects.PatientGet] = PatientHandlers.Get,
        [DemoSubjects.PatientCreate] = PatientHandlers.Create,
        [DemoSubjects.ClaimsListForPatient] = ClaimsHandlers.ListForPatient,
        [DemoSubjects.ClaimsGet] = ClaimsHandlers.Get,
        [DemoSubjects.InsuranceListForPatient] = InsuranceHandlers.ListForPatient,
    };

    /// <summary>Every subject the demo subscribes to.</summary>
    public IEnumerable<string> Subjects => _handlers.Keys.Append(DemoSubjects.AuditAccess);

    public DemoOutcome Handle(DemoRequest request)
    {
        if (request.Subject == DemoSubjects.AuditAccess)
        {
            Audit(request);
            return DemoOutcome.None;
        }
        return _handlers.TryGetValue(request.Subject, out var handler) ? handler(store, request) : DemoOutcome.None;
    }

    private void Audit(DemoRequest request)
    {
        store.RecordAudit();
        // Log the kind of access only: resourceId is a patient or claim id, and the log is no place for PHI.
        var resource = request.String("resource");
        var tenantId = request.String("tenantId");
        LogAudit(logger,
            s_auditResources.Contains(resource) ? resource! : "unknown",
            DemoIds.IsValid(tenantId) ? tenantId! : "invalid",
            store.AuditCount);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit access: {Resource} in {TenantId} (total {Count})")]
    private static partial void LogAudit(ILogger logger, string resource, string tenantId, long count);
}
