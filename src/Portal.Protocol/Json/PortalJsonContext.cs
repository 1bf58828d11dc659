using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Protocol.Browser;
using Portal.Protocol.Nats;

namespace Portal.Protocol.Json;

/// <summary>
/// The one JSON context of the portal, used for SignalR pushes and NATS bodies alike:
/// camelCase names, null members omitted, source-generated (no reflection on the hot path).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConnectedPush))]
[JsonSerializable(typeof(ConnectionStatusPush))]
[JsonSerializable(typeof(ErrorPush))]
[JsonSerializable(typeof(SeqInfo))]
[JsonSerializable(typeof(LoginResponse))]
[JsonSerializable(typeof(ResumeResponse))]
[JsonSerializable(typeof(SuccessResponse))]
[JsonSerializable(typeof(ClaimsSubscribedResponse))]
[JsonSerializable(typeof(TenantsListResponse))]
[JsonSerializable(typeof(TenantSelectResponse))]
[JsonSerializable(typeof(PatientResponse))]
[JsonSerializable(typeof(ClaimsListResponse))]
[JsonSerializable(typeof(ClaimResponse))]
[JsonSerializable(typeof(InsuranceListResponse))]
[JsonSerializable(typeof(AuthLoginRequest))]
[JsonSerializable(typeof(AuthLoginReply))]
[JsonSerializable(typeof(AuthVerifyRequest))]
[JsonSerializable(typeof(AuthVerifyReply))]
[JsonSerializable(typeof(SessionRevoked))]
[JsonSerializable(typeof(TenantListRequest))]
[JsonSerializable(typeof(TenantListReply))]
[JsonSerializable(typeof(TenantAccessRequest))]
[JsonSerializable(typeof(TenantAccessReply))]
[JsonSerializable(typeof(TenantScopedRequest))]
[JsonSerializable(typeof(PatientScopedRequest))]
[JsonSerializable(typeof(ClaimScopedRequest))]
[JsonSerializable(typeof(PatientCreateRequest))]
[JsonSerializable(typeof(AuditAccess))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class PortalJsonContext : JsonSerializerContext;
