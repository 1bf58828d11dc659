using System.Text.Json;
using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;

namespace Portal.Actors.Connections;

/// <summary>How a service's reply becomes the browser's response: which member holds the answer, and whether it is one item or a list.</summary>
public sealed record ReplyShape(string Member, bool IsList, Func<bool, JsonElement?, string?, string?, object> Response)
{
    public static readonly ReplyShape Patient = Item("patient", static (ok, item, error, id) => new PatientResponse(ok, item, error, id));

    public static readonly ReplyShape Claim = Item("claim", static (ok, item, error, id) => new ClaimResponse(ok, item, error, id));

    public static readonly ReplyShape Claims = List("claims", static (list, id) => new ClaimsListResponse(list, null, id));

    public static readonly ReplyShape Insurance = List("insurance", static (list, id) => new InsuranceListResponse(list, null, id));

    /// <summary>
    /// The response to the call whose request id is <paramref name="requestId"/>: an item reads
    /// <c>{success, &lt;member&gt;}</c> or <c>{success: false, error}</c>, a list reads <c>{&lt;member&gt;: [...]}</c>;
    /// null when the reply is neither (the caller answers <c>upstream_error</c>).
    /// </summary>
    public object? Read(ServiceOutcome outcome, string? requestId)
    {
        if (IsList)
        {
            return outcome.Array(Member) is { } list ? Response(true, list, null, requestId) : null;
        }

        return (outcome.Bool("success"), outcome.Object(Member)) switch
        {
            (true, { } item) => Response(true, item, null, requestId),
            (false, _) => Response(false, null, outcome.Text("error") ?? "The service refused the request.", requestId),
            _ => null,
        };
    }

    private static ReplyShape Item(string member, Func<bool, JsonElement?, string?, string?, object> response) => new(member, false, response);

    private static ReplyShape List(string member, Func<JsonElement, string?, object> response) =>
        new(member, true, (_, list, _, id) => response(list!.Value, id));
}

/// <summary>
/// The four reads of PHI (PROTOCOL.md §2), one row each: the subject asked, the resource audited on
/// <c>htpi.audit.access</c> before it, and how the reply is read.
/// </summary>
public sealed record PhiRead(string Subject, string AuditResource, ReplyShape Reply)
{
    public static readonly PhiRead PatientView = new(Subjects.PatientGet, AuditAccess.PatientResource, ReplyShape.Patient);

    public static readonly PhiRead ClaimsList = new(Subjects.ClaimsListForPatient, AuditAccess.ClaimsResource, ReplyShape.Claims);

    public static readonly PhiRead ClaimGet = new(Subjects.ClaimsGet, AuditAccess.ClaimResource, ReplyShape.Claim);

    public static readonly PhiRead InsuranceList = new(Subjects.InsuranceListForPatient, AuditAccess.InsuranceResource, ReplyShape.Insurance);

    /// <summary>The read <paramref name="call"/> makes, the id it audits and the request body; null when it reads no PHI.</summary>
    public static (PhiRead Read, string ResourceId, byte[] Body)? Of(BrowserCall call, TenantId tenant, string userId) => call switch
    {
        PatientViewCall c => (PatientView, c.PatientId.Value, PatientScoped(tenant, userId, c.PatientId)),
        ClaimsListCall c => (ClaimsList, c.PatientId.Value, PatientScoped(tenant, userId, c.PatientId)),
        ClaimGetCall c => (ClaimGet, c.ClaimId.Value, PortalJson.ToUtf8(new ClaimScopedRequest(tenant.Value, userId, c.ClaimId.Value))),
        InsuranceListCall c => (InsuranceList, c.PatientId.Value, PatientScoped(tenant, userId, c.PatientId)),
        _ => null,
    };

    private static byte[] PatientScoped(TenantId tenant, string userId, PatientId patient) =>
        PortalJson.ToUtf8(new PatientScopedRequest(tenant.Value, userId, patient.Value));
}
