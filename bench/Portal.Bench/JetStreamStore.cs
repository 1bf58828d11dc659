using System.Text.Json.Nodes;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Portal.Bench;

/// <summary>
/// The bench nats-server's JetStream, seen from outside: what it holds (<c>/jsz</c>: streams, consumers,
/// messages) and, between phases, the removal of the portal's history stream, so that every phase starts as a
/// fresh deployment does (the portal creates the stream when it is missing) and the phases without a portal
/// (direct NATS, the bare hub) run on a server that stores nothing.
/// </summary>
internal sealed class JetStreamStore(string natsUrl, string monitor, HttpClient http)
{
    /// <summary>The product's default <c>HISTORY_STREAM</c>; the bench never changes it.</summary>
    public const string HistoryStream = "HTPI_CUSTOMER_BROADCASTS";

    public async Task<JsonObject> StatsAsync()
    {
        var jsz = JsonNode.Parse(await http.GetStringAsync(monitor + "/jsz?accounts=true&streams=true&consumers=true&config=true"))!;

        // Per consumer: how far it delivered, what it still holds back, and the pull requests waiting on it;
        // a consumer with pending messages and a waiting pull that delivers nothing is stuck on the server's side.
        var consumers = new JsonArray();
        foreach (var account in jsz["account_details"]?.AsArray() ?? [])
        {
            foreach (var stream in account?["stream_detail"]?.AsArray() ?? [])
            {
                foreach (var consumer in stream?["consumer_detail"]?.AsArray() ?? [])
                {
                    consumers.Add(new JsonObject
                    {
                        ["filter"] = consumer?["config"]?["filter_subject"]?.DeepClone(),
                        ["deliveredStreamSeq"] = consumer?["delivered"]?["stream_seq"]?.DeepClone(),
                        ["numPending"] = consumer?["num_pending"]?.DeepClone(),
                        ["numWaiting"] = consumer?["num_waiting"]?.DeepClone(),
                    });
                }
            }
        }

        return new JsonObject
        {
            ["streams"] = jsz["streams"]?.DeepClone(),
            ["consumers"] = jsz["consumers"]?.DeepClone(),
            ["messages"] = jsz["messages"]?.DeepClone(),
            ["bytes"] = jsz["bytes"]?.DeepClone(),
            ["consumerDetail"] = consumers,
        };
    }

    /// <summary>True when there was a history stream to delete.</summary>
    public async Task<bool> DeleteHistoryStreamAsync()
    {
        await using var nats = new NatsConnection(new NatsOpts { Url = natsUrl, Name = "bench-orchestrator" });
        var jetStream = new NatsJSContext(nats);
        try
        {
            return await jetStream.DeleteStreamAsync(HistoryStream);
        }
        catch (NatsJSApiException e) when (e.Error.Code == 404)
        {
            return false;
        }
    }
}
