namespace Portal.Protocol.Tests;

public class ErrorCodesTests
{
    [Theory]
    [InlineData(ErrorCodes.Unauthenticated, "unauthenticated")]
    [InlineData(ErrorCodes.NoTenantSelected, "no_tenant_selected")]
    [InlineData(ErrorCodes.Forbidden, "forbidden")]
    [InlineData(ErrorCodes.InvalidArgument, "invalid_argument")]
    [InlineData(ErrorCodes.PayloadTooLarge, "payload_too_large")]
    [InlineData(ErrorCodes.RateLimited, "rate_limited")]
    [InlineData(ErrorCodes.ServiceUnavailable, "service_unavailable")]
    [InlineData(ErrorCodes.UpstreamError, "upstream_error")]
    [InlineData(ErrorCodes.SlowConsumer, "slow_consumer")]
    [InlineData(ErrorCodes.Internal, "internal")]
    public void ErrorCode_Always_MatchesProtocol(string actual, string expected) => Assert.Equal(expected, actual);
}
