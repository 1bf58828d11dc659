using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;
using NATS.Client.JetStream;
using Portal.Host.Standalone;

namespace Portal.IntegrationTests.Nats;

/// <summary>The test and standalone nats-server with JetStream: a store of its own, gone when it stops.</summary>
public sealed class LocalNatsServerJetStreamTests
{
    [Fact]
    public async Task Start_WithJetStream_OffersItFromItsOwnStore_AndRemovesTheStoreWhenStopped()
    {
        var nats = LocalNatsServer.Start(NullLogger.Instance, jetStream: true);
        var store = nats.StoreDir;
        try
        {
            Assert.NotNull(store);
            Assert.True(Directory.Exists(store));
            await using var client = new NatsConnection(NatsOpts.Default with { Url = nats.Url });
            var account = await new NatsJSContext(client).GetAccountInfoAsync();
            Assert.Equal(0, account.Streams);
        }
        finally
        {
            nats.Dispose();
        }

        Assert.False(Directory.Exists(store), $"the JetStream store {store} outlived its server");
    }

    [Fact]
    public void Start_WithoutJetStream_HasNoStore()
    {
        using var nats = LocalNatsServer.Start(NullLogger.Instance);

        Assert.Null(nats.StoreDir);
    }
}
