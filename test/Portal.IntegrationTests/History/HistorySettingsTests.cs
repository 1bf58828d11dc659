using Microsoft.Extensions.Configuration;
using Portal.Host.Configuration;
using Portal.Host.Standalone;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.History;

/// <summary>The history settings (PROTOCOL.md §3 "History"): their defaults, and one clear line for each bad value.</summary>
public sealed class HistorySettingsTests
{
    [Fact]
    public void From_NothingSet_GivesTheContractsDefaults()
    {
        var settings = Read(new Dictionary<string, string?>(), out var problems);

        Assert.Empty(problems);
        Assert.Equal(HistoryStoreChoice.Auto, settings.HistoryStore);
        Assert.Equal("HTPI_CUSTOMER_BROADCASTS", settings.HistoryStream);
        Assert.Equal(500, settings.ReplayHistoryLimit);
        Assert.Equal(TimeSpan.FromSeconds(120), settings.ReplayHistoryAge);
        Assert.Equal(1, settings.HistoryReplicas);
    }

    [Theory]
    [InlineData("jetstream", HistoryStoreChoice.JetStream)]
    [InlineData("MEMORY", HistoryStoreChoice.Memory)]
    [InlineData("auto", HistoryStoreChoice.Auto)]
    public void From_HistoryStore_ReadsEachChoice(string value, HistoryStoreChoice expected)
    {
        var settings = Read(new Dictionary<string, string?> { [PortalHostSettings.HistoryStoreKey] = value }, out var problems);

        Assert.Empty(problems);
        Assert.Equal(expected, settings.HistoryStore);
    }

    [Theory]
    [InlineData(PortalHostSettings.HistoryStoreKey, "redis")]
    [InlineData(PortalHostSettings.HistoryStreamKey, "HTPI.BROADCASTS")]
    [InlineData(PortalHostSettings.HistoryStreamKey, "has space")]
    [InlineData(PortalHostSettings.ReplayHistoryLimitKey, "0")]
    [InlineData(PortalHostSettings.ReplayHistorySecondsKey, "0")]
    [InlineData(PortalHostSettings.ReplayHistorySecondsKey, "2m")]
    [InlineData(PortalHostSettings.HistoryReplicasKey, "0")]
    [InlineData(PortalHostSettings.HistoryReplicasKey, "7")]
    public void From_BadHistoryValue_IsOneLineNamingTheVariable(string key, string value)
    {
        Read(new Dictionary<string, string?> { [key] = value }, out var problems);

        var line = Assert.Single(problems);
        Assert.StartsWith(key + " must be", line, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_BadHistoryStore_ExitsWithCode2AndTheLine()
    {
        await using var host = HostProcess.Start(new Dictionary<string, string?>
        {
            [PortalHostSettings.NatsUrlKey] = $"nats://127.0.0.1:{LocalNatsServer.FreePort()}",
            [PortalHostSettings.HistoryStoreKey] = "redis",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{LocalNatsServer.FreePort()}",
        });

        Assert.Equal(2, await host.ExitCodeAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(host.Stderr, l => l.Length > 0);
        Assert.Equal("HISTORY_STORE must be 'auto', 'jetstream' or 'memory', not 'redis'.", line);
    }

    private static PortalHostSettings Read(Dictionary<string, string?> values, out IReadOnlyList<string> problems)
    {
        values.TryAdd(PortalHostSettings.NatsUrlKey, "nats://127.0.0.1:4222");
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return PortalHostSettings.From(config, out problems);
    }
}
