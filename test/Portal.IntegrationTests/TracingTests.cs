using System.Collections.Concurrent;
using System.Diagnostics;
using NATS.Client.Core;
using Portal.Actors;
using Portal.IntegrationTests.Infrastructure;

namespace Portal.IntegrationTests;

/// <summary>
/// One trace from the browser's hub call through the connection actor (and the child actor it asks,
/// where one makes the request) to the NATS request a service receives.
/// </summary>
[Collection(PortalWithDemoCollection.Name)]
public sealed class TracingTests(PortalWithDemoFixture fixture)
{
    [Fact]
    public async Task HubCall_ToNatsRequest_IsOneTraceThatReachesTheServiceInTheHeaders()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = ListenToHubActorsAndNats(stopped);

        // Listens beside the demo patient service, as a second service would, to read the headers it gets.
        await using var nats = fixture.Nats();
        await using var service = await nats.SubscribeCoreAsync<byte[]>("htpi.patient.get");
        await using var client = await fixture.ConnectAsync();
        await client.AskAsync("auth:login", new { email = "john@example.com", password = "password123" });
        await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });

        await client.AskAsync("patients:view", new { patientId = "p-001-01" });
        var received = await service.Msgs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        // The connection actor makes this request itself: no child span between it and NATS.Net's.
        await AssertOneTraceFromHubCall(stopped, received, "patients:view", childSpan: null);
    }

    [Fact]
    public async Task TenantSelect_TenantChildsVerifyRequest_IsInTheHubCallsTraceAtTheService()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = ListenToHubActorsAndNats(stopped);

        // Listens beside the demo tenant service, as a second service would, to read the headers it gets.
        await using var nats = fixture.Nats();
        await using var service = await nats.SubscribeCoreAsync<byte[]>("htpi.tenant.verify.access");
        await using var client = await fixture.ConnectAsync();
        await client.AskAsync("auth:login", new { email = "john@example.com", password = "password123" });

        var selected = await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
        Assert.True(selected.GetProperty("success").GetBoolean());
        var received = await service.Msgs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        await AssertOneTraceFromHubCall(stopped, received, "user:tenant:select", PortalTracing.TenantVerify);
    }

    [Fact]
    public async Task PatientsSubscribe_FeedChildsSnapshotRequest_IsInTheHubCallsTraceAtTheService()
    {
        var stopped = new ConcurrentBag<Activity>();
        using var listener = ListenToHubActorsAndNats(stopped);

        await using var nats = fixture.Nats();
        await using var service = await nats.SubscribeCoreAsync<byte[]>("htpi.patient.list");
        await using var client = await fixture.ConnectAsync();
        await client.AskAsync("auth:login", new { email = "john@example.com", password = "password123" });
        await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });

        await client.CallAsync("patients:subscribe");
        await client.NextAsync("patients:list");
        var received = await service.Msgs.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        await AssertOneTraceFromHubCall(stopped, received, "patients:subscribe", PortalTracing.FeedSnapshot);
    }

    private static ActivityListener ListenToHubActorsAndNats(ConcurrentBag<Activity> stopped)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore.SignalR.Server" or PortalTracing.SourceName or "NATS.Net",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>
    /// Walks up from the span named in the service's <c>traceparent</c>: NATS.Net's span(s), then the
    /// child actor's span (when a child made the request), the connection actor's span for the call, and
    /// the hub's span for it. Spans are found by id, so calls of tests running beside this one do not count.
    /// </summary>
    private static async Task AssertOneTraceFromHubCall(ConcurrentBag<Activity> stopped, NatsMsg<byte[]> received, string method, string? childSpan)
    {
        Assert.NotNull(received.Headers);
        Assert.True(received.Headers!.TryGetValue("traceparent", out var header));
        var traceparent = header.ToString().Split('-');
        var traceId = ActivityTraceId.CreateFromString(traceparent[1]);
        var spanId = ActivitySpanId.CreateFromString(traceparent[2]);

        var span = await Until(() => stopped.FirstOrDefault(a => a.SpanId == spanId));
        Assert.Equal("NATS.Net", span.Source.Name);
        while (span.Source.Name == "NATS.Net")
        {
            var parentId = span.ParentSpanId;
            Assert.True(parentId != default, $"NATS.Net's span '{span.OperationName}' has no parent: the request started a trace of its own");
            span = await Until(() => stopped.FirstOrDefault(a => a.SpanId == parentId));
        }

        Assert.Equal(PortalTracing.SourceName, span.Source.Name);
        var call = span;
        if (childSpan is not null)
        {
            Assert.Equal(childSpan, span.OperationName);
            call = await Until(() => stopped.FirstOrDefault(a => a.SpanId == span.ParentSpanId));
            Assert.Equal(PortalTracing.SourceName, call.Source.Name);
        }

        Assert.Equal(method, call.OperationName);
        var hub = await Until(() => stopped.FirstOrDefault(a => a.SpanId == call.ParentSpanId));
        Assert.Equal("Microsoft.AspNetCore.SignalR.Server", hub.Source.Name);
        Assert.All(new[] { span, call, hub }, a => Assert.Equal(traceId, a.TraceId));
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
