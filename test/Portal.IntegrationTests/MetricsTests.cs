using System.Text;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using Portal.Actors;
using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary><c>/metrics</c> after real traffic: sockets, actors, topics, NATS in and out, request latency, errors, unhandled messages.</summary>
[Collection(AloneCollection.Name)]
public sealed partial class MetricsTests
{
    [Fact]
    public async Task Metrics_AfterASession_ShowsSocketsActorsNatsTrafficLatencyAndErrors()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: true);
        await using var client = await portal.ConnectAsync();
        Assert.True((await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" })).GetProperty("success").GetBoolean());
        Assert.True((await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" })).GetProperty("success").GetBoolean());
        await client.CallAsync("patients:subscribe");
        await client.NextAsync(EventNames.PatientsListed);
        await using (var nats = portal.Client())
        {
            await nats.PublishAsync("customer.broadcast.patients.tenant-001", Encoding.UTF8.GetBytes(
                """{"responseType":"created","tenantId":"tenant-001","patient":{"id":"p-metrics","firstName":"A","lastName":"B"}}"""));

            // A round trip, so the publish has left before the connection is disposed.
            await nats.PingAsync();
        }

        await client.NextAsync(EventNames.PatientsNew);
        await client.CallAsync("patients:view", new { patientId = "bad id" });
        await client.ErrorAsync("patients:view");

        using var http = new HttpClient { BaseAddress = portal.Portal.Address };
        string text = "";
        for (var i = 0; i < 50 && !text.Contains("portal_connection_actors 1", StringComparison.Ordinal); i++)
        {
            await Task.Delay(200);
            text = await http.GetStringAsync("metrics");
        }

        Assert.Contains("portal_sockets_open", text, StringComparison.Ordinal);
        Assert.Equal(1, Value(text, "portal_sockets_open"));
        Assert.Equal(1, Value(text, "portal_connection_actors"));
        Assert.Equal(1, Value(text, "portal_topics"));
        Assert.Equal(1, Value(text, "portal_topic_subscribers"));
        Assert.Equal(1, Value(text, "portal_feed_subscribers", "feed=\"patients\""));
        Assert.Equal(0, Value(text, "portal_feed_subscribers", "feed=\"claims\""));
        Assert.True(Value(text, "portal_nats_subscriptions", "family=\"customer.broadcast.patients\"") >= 1);
        Assert.Equal(1, Value(text, "portal_nats_messages_in_total", "family=\"customer.broadcast.patients\""));
        Assert.True(Value(text, "portal_nats_messages_out_total", "family=\"htpi.auth.login\"") >= 1);
        Assert.True(Value(text, "portal_nats_request_duration_seconds_count", "subject=\"htpi.patient.list\"") >= 1);
        Assert.True(Value(text, "portal_pushes_total", "event=\"patients:new\"") >= 1);
        Assert.True(Value(text, "portal_errors_total", "code=\"invalid_argument\"") >= 1);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_OnAFreshNode_CountUnhandledMessagesFromZeroAndLogOnlyTheirTypeAndActor()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false);
        using var http = new HttpClient { BaseAddress = portal.Portal.Address };
        Assert.Equal(0, Value(await http.GetStringAsync("metrics"), "portal_unhandled_messages_total"));

        // A message the topic registry does not understand, as a routing bug would send it.
        var topics = portal.Portal.Services.GetRequiredService<IRequiredActor<PortalActorKeys.Topics>>().ActorRef;
        topics.Tell(new StrayNote("Jane Doe, born 1970-01-01"), ActorRefs.NoSender);

        await Eventually.HoldsAsync(async () => Value(await http.GetStringAsync("metrics"), "portal_unhandled_messages_total") == 1, TimeSpan.FromSeconds(15));
        var line = Assert.Single(portal.Portal.Logs.Lines, l => l.Contains(typeof(StrayNote).FullName!, StringComparison.Ordinal));
        Assert.StartsWith("Warning", line, StringComparison.Ordinal);
        Assert.Contains(topics.Path.ToStringWithoutAddress(), line, StringComparison.Ordinal);
        Assert.DoesNotContain(portal.Portal.Logs.Lines, l => l.Contains("Jane Doe", StringComparison.Ordinal));
    }

    private sealed record StrayNote(string Patient);

    /// <summary>The value of the first sample of <paramref name="metric"/> whose labels contain <paramref name="label"/>.</summary>
    private static double Value(string text, string metric, string label = "")
    {
        foreach (var line in text.Split('\n'))
        {
            var match = Sample().Match(line);
            if (match.Success && match.Groups["name"].Value == metric && match.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
            {
                return double.Parse(match.Groups["value"].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new Xunit.Sdk.XunitException($"no sample of {metric} {label} in:\n{string.Join('\n', text.Split('\n').Where(l => l.StartsWith("portal_", StringComparison.Ordinal)))}");
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN)")]
    private static partial Regex Sample();
}
