namespace Portal.Protocol.Browser;

/// <summary>Why a call was refused, in words for a person: never a stack trace, a secret or PHI.</summary>
public sealed record CallRejection(string Code, string Message, string Method, string? RequestId)
{
    /// <summary>The tenant a refused <c>user:tenant:select</c> named, when it was a valid id: its failure response echoes it.</summary>
    public string? TenantId { get; init; }

    /// <summary>The refusal of a parsed call: it echoes the call's method, requestId and (for a select) tenant.</summary>
    public static CallRejection Of(BrowserCall call, string code, string message) =>
        new(code, message, call.Method, call.RequestId) { TenantId = (call as TenantSelectCall)?.TenantId.Value };
}
