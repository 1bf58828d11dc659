using Portal.Protocol.Ids;

namespace Portal.Protocol.Tests;

public class SafeIdTests
{
    [Fact]
    public void MaxLength_Always_Is64() => Assert.Equal(64, SafeId.MaxLength);

    [Theory]
    [MemberData(nameof(BadIds.All), MemberType = typeof(BadIds))]
    public void IsValid_BadId_False(string? value) => Assert.False(SafeId.IsValid(value));

    [Theory]
    [MemberData(nameof(BadIds.All), MemberType = typeof(BadIds))]
    public void TryParse_BadId_FalseAndDefaultForEveryIdType(string? value)
    {
        Assert.False(SafeId.TryParse<TenantId>(value, out var tenant));
        Assert.False(SafeId.TryParse<PatientId>(value, out var patient));
        Assert.False(SafeId.TryParse<ClaimId>(value, out var claim));
        Assert.False(SafeId.TryParse<ClientId>(value, out var client));

        Assert.Equal(default, tenant);
        Assert.Null(tenant.Value);
        Assert.Null(patient.Value);
        Assert.Null(claim.Value);
        Assert.Null(client.Value);
    }

    [Theory]
    [MemberData(nameof(BadIds.All), MemberType = typeof(BadIds))]
    public void Parse_BadId_ThrowsArgumentException(string? value)
    {
        Assert.Throws<ArgumentException>("value", () => SafeId.Parse<TenantId>(value));
        Assert.Throws<ArgumentException>("value", () => SafeId.Parse<PatientId>(value));
        Assert.Throws<ArgumentException>("value", () => SafeId.Parse<ClaimId>(value));
        Assert.Throws<ArgumentException>("value", () => SafeId.Parse<ClientId>(value));
    }

    [Theory]
    [InlineData("tenant.*")]
    [InlineData("secret\nvalue")]
    public void Parse_BadId_MessageDoesNotEchoTheValue(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => SafeId.Parse<TenantId>(value));

        Assert.DoesNotContain(value, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [MemberData(nameof(BadIds.Valid), MemberType = typeof(BadIds))]
    public void TryParse_ValidId_TrueWithSameValue(string value)
    {
        Assert.True(SafeId.IsValid(value));
        Assert.True(SafeId.TryParse<TenantId>(value, out var tenant));
        Assert.True(SafeId.TryParse<PatientId>(value, out var patient));
        Assert.True(SafeId.TryParse<ClaimId>(value, out var claim));
        Assert.True(SafeId.TryParse<ClientId>(value, out var client));

        Assert.Equal(value, tenant.Value);
        Assert.Equal(value, patient.Value);
        Assert.Equal(value, claim.Value);
        Assert.Equal(value, client.Value);
        Assert.Equal(value, tenant.ToString());
    }

    [Theory]
    [MemberData(nameof(BadIds.Valid), MemberType = typeof(BadIds))]
    public void Parse_ValidId_ReturnsIdThatRequireAccepts(string value)
    {
        var id = SafeId.Parse<TenantId>(value);

        Assert.Equal(value, id.Value);
        Assert.Equal(value, SafeId.Require(id));
    }

    [Fact]
    public void IsValid_EverySingleUtf16CodeUnit_OnlyAsciiLettersDigitsUnderscoreHyphenPass()
    {
        for (var c = char.MinValue; ; c++)
        {
            var expected = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-';
            Assert.True(expected == SafeId.IsValid(c.ToString()), $"U+{(int)c:X4}");
            Assert.True(expected == SafeId.IsValid("tenant-001" + c), $"tenant-001 + U+{(int)c:X4}");
            if (c == char.MaxValue)
            {
                break;
            }
        }
    }

    [Fact]
    public void Parse_SameValue_IdsAreEqual()
    {
        Assert.Equal(SafeId.Parse<TenantId>("tenant-001"), SafeId.Parse<TenantId>("tenant-001"));
        Assert.NotEqual(SafeId.Parse<TenantId>("tenant-001"), SafeId.Parse<TenantId>("Tenant-001"));
    }

    [Fact]
    public void Require_DefaultId_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => SafeId.Require(default(TenantId)));
        Assert.Throws<ArgumentException>(() => SafeId.Require(default(PatientId)));
        Assert.Throws<ArgumentException>(() => SafeId.Require(default(ClaimId)));
        Assert.Throws<ArgumentException>(() => SafeId.Require(default(ClientId)));
    }
}
