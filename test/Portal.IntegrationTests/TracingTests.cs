using System.Collections.Concurrent;
using System.Diagnostics;
using NATS.Client.Core;
using Portal.Actors;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests;

/// <summary>One trace from the browser's hub call through the connection actor to the NATS request a service receives.</summary>
[Collection(PortalWithDemoCollection.Name)]
public sealed class TracingTests(PortalWithDemoFixture fixture)
{
    [Fact]
    public async Task HubCall_ToNatsRequest_IsOneTraceThatReachesTheServiceInTheHeaders()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore.SignalR.Server" or PortalTracing.SourceName or "NATS.Net",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        // Listens beside the demo patient service, as a second service would, to read the headers it gets.
        await using var nats = fixture.Nats();
        await using var service = await nats.SubscribeCoreAsync<byte[]>("htpi.patient.get");
        await using var client = await fixture.ConnectAsync();
        await client.AskAsync("auth:login", new { email = "john@example.com", password = "password123" });
        await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });

        await client.AskAsync("patients:view", new { patientId = "p-001-01" });
        var received = await service.Msgs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var actorSpan = await Until(() => stopped.FirstOrDefault(a => a.Source.Name == PortalTracing.SourceName && a.OperationName == "patients:view"));
        var hubSpan = stopped.FirstOrDefault(a => a.Source.Name == "Microsoft.AspNetCore.SignalR.Server" && a.SpanId == actorSpan.ParentSpanId);
        Assert.NotNull(hubSpan);
        var natsSpan = await Until(() => stopped.FirstOrDefault(a => a.Source.Name == "NATS.Net" && a.TraceId == actorSpan.TraceId));
        Assert.Equal(actorSpan.TraceId, hubSpan.TraceId);
        Assert.NotNull(natsSpan);

        // The service gets the same trace in W3C form.
        Assert.NotNull(received.Headers);
        Assert.True(received.Headers!.TryGetValue("traceparent", out var traceparent));
        Assert.Contains(actorSpan.TraceId.ToHexString(), traceparent.ToString(), StringComparison.Ordinal);
    }

    private static async Task<Activity> Until(Func<Activity?> find)
    {
        for (var i = 0; i < 50; i++)
        {
            if (find() is { } found)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The span never ended.");
    }
}
