namespace Portal.DemoServices.Tests.Unit;

public sealed class DemoIdsTests
{
    [Theory]
    [InlineData("tenant-001")]
    [InlineData("a")]
    [InlineData("A_b-9")]
    public void IsValid_SafeId_ReturnsTrue(string id) => Assert.True(DemoIds.IsValid(id));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("*")]
    [InlineData(">")]
    [InlineData("a b")]
    [InlineData("abc\n")]
    [InlineData("é")]
    public void IsValid_UnsafeId_ReturnsFalse(string? id) => Assert.False(DemoIds.IsValid(id));

    [Fact]
    public void IsValid_LengthLimit_Is64()
    {
        Assert.True(DemoIds.IsValid(new string('x', 64)));
        Assert.False(DemoIds.IsValid(new string('x', 65)));
    }
}
