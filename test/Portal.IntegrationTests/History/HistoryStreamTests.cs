using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Portal.Host.Configuration;
using Portal.Host.Extensions;
using Portal.Host.Nats;
using Portal.Host.Standalone;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.History;

/// <summary>
/// The node's replay history against a real nats-server with and without JetStream (PROTOCOL.md §3
/// "History"): the stream it creates or finds, its epoch, and what it says and how ready it is.
/// </summary>
public sealed class HistoryStreamTests
{
    private const string Stream = "TEST_HISTORY";

    private static readonly Dictionary<string, string> Limits = new()
    {
        [PortalHostSettings.HistoryStreamKey] = Stream,
        [PortalHostSettings.ReplayHistoryLimitKey] = "7",
        [PortalHostSettings.ReplayHistorySecondsKey] = "90",
    };

    [Fact]
    public async Task Start_JetStreamWithoutTheStream_CreatesItWithExactlyTheSettingsLimits()
    {
        using var nats = LocalNatsServer.Start(NullLogger.Instance, jetStream: true);
        await using var portal = await StartReadyAsync(nats, Limits);

        var config = (await ReadStreamAsync(nats)).Config;
        Assert.Equal(["customer.broadcast.>"], config.Subjects);
        Assert.Equal(7, config.MaxMsgsPerSubject);
        Assert.Equal(TimeSpan.FromSeconds(90), config.MaxAge);
        Assert.Equal(StreamConfigDiscard.Old, config.Discard);
        Assert.True(config.AllowDirect);
        Assert.Equal(1, config.NumReplicas);
        Assert.Equal(StreamConfigStorage.File, config.Storage);
        Assert.Single(portal.Logs.Lines, l => l.Contains($"History: created JetStream stream \"{Stream}\"", StringComparison.Ordinal));
        Assert.Single(portal.Logs.Lines, l => l.StartsWith($"Information History: JetStream stream \"{Stream}\", because the NATS server offers JetStream", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_SecondNodeOnTheSameStream_KeepsItAndItsEpoch()
    {
        using var nats = LocalNatsServer.Start(NullLogger.Instance, jetStream: true);
        string firstEpoch;
        await using (var first = await StartReadyAsync(nats, Limits))
        {
            firstEpoch = History(first).Epoch!;
        }

        var created = (await ReadStreamAsync(nats)).Created;
        await using var second = await StartReadyAsync(nats, Limits);

        Assert.Equal(HistoryKind.JetStream, History(second).Kind);
        Assert.Equal(Stream, History(second).StreamName);
        Assert.Equal(firstEpoch, History(second).Epoch);
        Assert.Equal(created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture), History(second).Epoch);
        Assert.Equal(created, (await ReadStreamAsync(nats)).Created);
        Assert.DoesNotContain(second.Logs.Lines, l => l.Contains("History: created", StringComparison.Ordinal) || l.Contains("History: updated", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_StreamWithOtherLimits_IsUpdatedToTheSettingsInOneLine_AndKeepsItsEpoch()
    {
        using var nats = LocalNatsServer.Start(NullLogger.Instance, jetStream: true);
        await using (var client = Client(nats))
        {
            await new NatsJSContext(client).CreateStreamAsync(new StreamConfig(Stream, ["customer.broadcast.>"])
            {
                MaxMsgsPerSubject = 3,
                MaxAge = TimeSpan.FromSeconds(10),
                Storage = StreamConfigStorage.File,
            });
        }

        var created = (await ReadStreamAsync(nats)).Created;
        await using var portal = await StartReadyAsync(nats, Limits);

        var stream = await ReadStreamAsync(nats);
        Assert.Equal(7, stream.Config.MaxMsgsPerSubject);
        Assert.Equal(TimeSpan.FromSeconds(90), stream.Config.MaxAge);
        Assert.True(stream.Config.AllowDirect);
        Assert.Equal(created, stream.Created);
        var line = Assert.Single(portal.Logs.Lines, l => l.Contains("History: updated", StringComparison.Ordinal));
        Assert.Contains("was \"subjects customer.broadcast.>, 3 per subject, 10 s", line, StringComparison.Ordinal);
        Assert.Contains("now \"subjects customer.broadcast.>, 7 per subject, 90 s", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reconnect_ToAServerThatLostTheStream_CreatesItAgainWithANewEpoch()
    {
        var nats = LocalNatsServer.Start(NullLogger.Instance, jetStream: true);
        try
        {
            await using var portal = await StartReadyAsync(nats, Limits);
            var before = History(portal).Epoch;
            var changed = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            History(portal).Changed += h => changed.TrySetResult(h.Epoch);

            // kill -9 and a new server on the same port with an empty store, as a pod without a volume would come back.
            nats.Kill();
            nats = LocalNatsServer.Start(NullLogger.Instance, port: nats.Port, jetStream: true);

            var after = await changed.Task.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.NotNull(after);
            Assert.NotEqual(before, after);
            Assert.Equal(HistoryKind.JetStream, History(portal).Kind);
            Assert.Equal(7, (await ReadStreamAsync(nats)).Config.MaxMsgsPerSubject);
        }
        finally
        {
            nats.Dispose();
        }
    }

    [Fact]
    public async Task Start_AutoWithoutJetStream_LogsMemoryInOneLineAndIsReady()
    {
        using var nats = LocalNatsServer.Start(NullLogger.Instance);
        await using var portal = await StartReadyAsync(nats, new Dictionary<string, string>());

        Assert.Equal(HistoryKind.Memory, History(portal).Kind);
        Assert.Null(History(portal).Epoch);
        var line = Assert.Single(portal.Logs.Lines, l => l.Contains("History:", StringComparison.Ordinal));
        Assert.StartsWith("Information History: memory of this node, because the NATS server offers no JetStream", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_JetStreamRequiredWithoutJetStream_IsNotReadyWithOneClearLine()
    {
        using var nats = LocalNatsServer.Start(NullLogger.Instance);
        await using var portal = new PortalFactory(nats.Url, new Dictionary<string, string> { [PortalHostSettings.HistoryStoreKey] = "jetstream" });
        portal.StartServer();

        await Eventually.HoldsAsync(() => Task.FromResult(History(portal).Kind == HistoryKind.Unavailable));
        await portal.WaitForReadyzAsync(ready: false);
        var report = await portal.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(HealthExtensions.IsReadiness);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["history"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["nats"].Status);
        var line = Assert.Single(portal.Logs.Lines, l => l.Contains("History:", StringComparison.Ordinal));
        Assert.StartsWith("Error History: HISTORY_STORE=jetstream but the NATS server offers no JetStream", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_MemoryWithJetStreamOffered_NeverMakesAStream()
    {
        using var nats = LocalNatsServer.Start(NullLogger.Instance, jetStream: true);
        await using var portal = await StartReadyAsync(nats, new Dictionary<string, string>(Limits) { [PortalHostSettings.HistoryStoreKey] = "memory" });

        Assert.Equal(HistoryKind.Memory, History(portal).Kind);
        await using var client = Client(nats);
        var account = await new NatsJSContext(client).GetAccountInfoAsync();
        Assert.Equal(0, account.Streams);
        Assert.Single(portal.Logs.Lines, l => l.StartsWith("Information History: memory of this node, because HISTORY_STORE=memory", StringComparison.Ordinal));
    }

    private static async Task<PortalFactory> StartReadyAsync(LocalNatsServer nats, IReadOnlyDictionary<string, string> settings)
    {
        var portal = new PortalFactory(nats.Url, settings);
        portal.StartServer();
        await portal.WaitForReadyzAsync(ready: true);
        return portal;
    }

    private static HistoryStore History(PortalFactory portal) => portal.Services.GetRequiredService<HistoryStore>();

    private static NatsConnection Client(LocalNatsServer nats) => new(NatsOpts.Default with { Url = nats.Url });

    private static async Task<StreamInfo> ReadStreamAsync(LocalNatsServer nats)
    {
        await using var client = Client(nats);
        return (await new NatsJSContext(client).GetStreamAsync(Stream)).Info;
    }
}
