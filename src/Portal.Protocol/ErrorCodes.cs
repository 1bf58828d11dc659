namespace Portal.Protocol;

/// <summary>The <c>code</c> values of the <c>error</c> push (PROTOCOL.md §1).</summary>
public static class ErrorCodes
{
    public const string Unauthenticated = "unauthenticated";
    public const string NoTenantSelected = "no_tenant_selected";
    public const string Forbidden = "forbidden";
    public const string InvalidArgument = "invalid_argument";
    public const string PayloadTooLarge = "payload_too_large";
    public const string RateLimited = "rate_limited";
    public const string ServiceUnavailable = "service_unavailable";
    public const string UpstreamError = "upstream_error";
    public const string SlowConsumer = "slow_consumer";
    public const string Internal = "internal";
}
