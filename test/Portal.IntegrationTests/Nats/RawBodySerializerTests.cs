using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using Portal.Actors.Nats;
using Portal.Host.Nats;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests.Nats;

/// <summary>
/// The gateway reads bodies with NATS.Net's own raw serializer. The actors keep a body long after NATS.Net
/// has read the next message into its buffers, so each body must be a copy of its own.
/// </summary>
public sealed class RawBodySerializerTests
{
    private const int Count = 200;

    [Fact]
    public async Task Subscribe_BurstOfMessages_EveryBodyStaysWhatWasSentAfterLaterOnesArrive()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false);
        var gateway = portal.Portal.Services.GetRequiredService<NatsNetGateway>();
        var received = new ConcurrentQueue<NatsInbound>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscription = await gateway.SubscribeAsync(
            "test.bodies",
            message =>
            {
                received.Enqueue(message);
                if (received.Count == Count)
                {
                    all.TrySetResult();
                }
            },
            _ => { });

        // nats-server has taken the SUB once a message on a subject subscribed after it comes back: the
        // burst then starts with nothing lost to a subscription still on its way.
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var readiness = await gateway.SubscribeAsync("test.bodies.ready", _ => ready.TrySetResult(), _ => { });

        // A burst, so that many messages pass through the same receive buffer one after another. The
        // publisher stays open until they are in: closed at once, it could drop what it had not flushed.
        await using var publisher = portal.Client();
        while (!ready.Task.IsCompleted)
        {
            await publisher.PublishAsync("test.bodies.ready", "?"u8.ToArray());
            await Task.WhenAny(ready.Task, Task.Delay(100));
        }

        for (var i = 0; i < Count; i++)
        {
            await publisher.PublishAsync("test.bodies", Body(i));
        }

        await publisher.PingAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(all.Task.IsCompleted), TimeSpan.FromSeconds(15));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => Encoding.UTF8.GetString(Body(i))), received.Select(m => Encoding.UTF8.GetString(m.Body.Span)));
    }

    [Fact]
    public void Deserialize_BufferOverwrittenAfterwards_KeepsItsOwnCopy()
    {
        var buffer = Encoding.UTF8.GetBytes("""{"patient":1}""");

        var body = NatsRawSerializer<ReadOnlyMemory<byte>>.Default.Deserialize(new System.Buffers.ReadOnlySequence<byte>(buffer));
        Array.Fill(buffer, (byte)'x');

        Assert.Equal("""{"patient":1}""", Encoding.UTF8.GetString(body.Span));
    }

    // Bodies of different lengths and contents, as broadcasts are.
    private static byte[] Body(int i) => Encoding.UTF8.GetBytes($$"""{"n":{{i}},"pad":"{{new string((char)('a' + (i % 26)), i % 97)}}"}""");
}
