using Portal.Protocol.Ids;

namespace Portal.Protocol.Tests;

public class ClientIdTests
{
    [Fact]
    public void NewRandom_Always_IsAValidSafeId()
    {
        var id = ClientId.NewRandom();

        Assert.True(SafeId.IsValid(id.Value));
        Assert.Equal(id, SafeId.Parse<ClientId>(id.Value));
        Assert.Equal(id.Value, SafeId.Require(id));
    }

    [Fact]
    public void NewRandom_Always_OnlyAsciiLettersAndDigits()
    {
        for (var i = 0; i < 1_000; i++)
        {
            var value = ClientId.NewRandom().Value;

            Assert.All(value, c => Assert.True(char.IsAsciiLetterOrDigit(c), $"'{c}' in {value}"));
        }
    }

    [Fact]
    public void NewRandom_Always_LongEnoughToBeUnguessable() =>
        Assert.InRange(ClientId.NewRandom().Value.Length, 20, SafeId.MaxLength);

    [Fact]
    public void NewRandom_ManyCalls_AllDistinct()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => ClientId.NewRandom().Value).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ToString_Always_IsTheValue()
    {
        var id = ClientId.NewRandom();

        Assert.Equal(id.Value, id.ToString());
    }
}
