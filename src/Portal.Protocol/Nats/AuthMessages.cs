using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Protocol.Nats;

// Bodies of the htpi.auth.* subjects, with the field names the HTPI services use.

public sealed record AuthLoginRequest(
    string Email,
    string Password,
    string Portal,
    string ClientId,
    string RequestId,
    DateTimeOffset Timestamp)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Password = [redacted]");
        return true;
    }
}

public sealed record ServiceUser(string? Id, string? Email, string? Name, string? Role, JsonElement? Tenants);

public sealed record AuthLoginReply(bool Success, string? ClientId, ServiceUser? User, string? Token, string? Error)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Success = ").Append(Success);
        return true;
    }
}

public sealed record AuthVerifyRequest(string Token)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Token = [redacted]");
        return true;
    }
}

public sealed record AuthVerifyReply(
    bool Valid,
    [property: JsonPropertyName("user_id")] string? UserId,
    string? Email,
    string? Role,
    string? Portal,
    string? Error)
{
    /// <summary>The token holds, for the customer portal (a token of another portal does not). Not on the wire.</summary>
    [JsonIgnore]
    public bool AcceptsCustomer => Valid && Portal is null or "customer";
}

/// <summary>Told to every portal node on logout so that no node resumes the token again.</summary>
public sealed record SessionRevoked(string TokenHash);
