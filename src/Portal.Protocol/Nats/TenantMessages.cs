using System.Text.Json;

namespace Portal.Protocol.Nats;

public sealed record TenantListRequest(string UserId, string UserEmail, string ClientId, string Portal, string RequestId);

public sealed record TenantListReply(bool Success, JsonElement? Tenants, string? ClientId, string? Error);

public sealed record TenantAccessRequest(string UserId, string TenantId);

public sealed record TenantAccessReply(bool HasAccess, string? UserId, string? TenantId);
