using System.Text.RegularExpressions;
using Portal.Host.Standalone;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.History;

/// <summary>Standalone mode's own nats-server runs JetStream, so the demo keeps its history in the stream.</summary>
public sealed partial class StandaloneHistoryTests
{
    [Fact]
    public async Task Standalone_OwnNatsServer_RunsJetStreamTheHistoryUses_AndItsStoreIsGoneAfterSigterm()
    {
        var address = new Uri($"http://127.0.0.1:{LocalNatsServer.FreePort()}/");
        await using var host = HostProcess.Start(new Dictionary<string, string?>
        {
            ["STANDALONE_MODE"] = "true",
            ["ASPNETCORE_URLS"] = address.ToString(),
            ["DRAIN_TIMEOUT_SECONDS"] = "5",
        });

        var store = (await host.LineAsync(StoreLine()).WaitAsync(TimeSpan.FromSeconds(30))).Groups["dir"].Value;
        Assert.True(Directory.Exists(store), $"no JetStream store at {store}");
        await host.LineAsync(JetStreamHistoryLine()).WaitAsync(TimeSpan.FromSeconds(30));
        await HostProcess.WaitForReadyzAsync(address, TimeSpan.FromSeconds(30));

        host.Signal(UnixSignal.Terminate);

        Assert.Equal(0, await host.ExitCodeAsync(TimeSpan.FromSeconds(20)));
        Assert.False(Directory.Exists(store), $"the JetStream store {store} outlived the host");
    }

    [GeneratedRegex(@"nats-server runs JetStream, stored in \W*(?<dir>/[^""\s]+)")]
    private static partial Regex StoreLine();

    [GeneratedRegex(@"History: JetStream stream \W*HTPI_CUSTOMER_BROADCASTS\W*, because the NATS server offers JetStream")]
    private static partial Regex JetStreamHistoryLine();
}
