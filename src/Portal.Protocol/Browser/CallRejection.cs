namespace Portal.Protocol.Browser;

/// <summary>Why a call was refused, in words for a person: never a stack trace, a secret or PHI.</summary>
public sealed record CallRejection(string Code, string Message, string Method, string? RequestId);
