using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using NATS.Client.Core;
using Portal.Bench.BareHub;

// The baseline the portal is weighed against: one hub, no actors, no sessions. Each NATS broadcast
// subject is forwarded to a SignalR group; clients join groups by name.
// Env: NATS_URL, PORT, BARE_PROTOCOL=json|messagepack (messagepack also keeps JSON enabled).
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var port = int.Parse(Environment.GetEnvironmentVariable("PORT") ?? "5100", System.Globalization.CultureInfo.InvariantCulture);
builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxConcurrentConnections = null;
    k.Limits.MaxConcurrentUpgradedConnections = null;
    k.ListenLocalhost(port);
});

var messagePack = string.Equals(Environment.GetEnvironmentVariable("BARE_PROTOCOL"), "messagepack", StringComparison.OrdinalIgnoreCase);
var signalR = builder.Services.AddSignalR().AddJsonProtocol(j => j.PayloadSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.CamelCase);
if (messagePack)
{
    signalR.AddMessagePackProtocol();
}

builder.Services.AddSingleton(new NatsConnection(new NatsOpts { Url = Environment.GetEnvironmentVariable("NATS_URL") ?? "nats://127.0.0.1:4222", Name = "bench-bare-hub" }));
builder.Services.AddSingleton(new ForwarderSettings(messagePack));
builder.Services.AddHostedService<Forwarder>();

var app = builder.Build();
app.MapHub<BareHub>("/hubs/portal");
app.MapGet("/readyz", () => Results.Ok());
app.Run();

namespace Portal.Bench.BareHub
{
    internal sealed record ForwarderSettings(bool MessagePack);

    /// <summary>Joins the caller to a group such as <c>patients.tenant-001</c>.</summary>
    internal sealed class BareHub : Hub
    {
        [HubMethodName("join")]
        public Task Join(string group) => Groups.AddToGroupAsync(Context.ConnectionId, group);
    }

    /// <summary>
    /// One NATS subscription on <c>customer.broadcast.&gt;</c>; each message is parsed once and its inner
    /// object sent to the group named by the rest of the subject, with a per-subject seq, as the portal does.
    /// </summary>
    internal sealed class Forwarder(NatsConnection nats, IHubContext<BareHub> hub, ForwarderSettings settings) : BackgroundService
    {
        private const string Prefix = "customer.broadcast.";
        private readonly Dictionary<string, long> _seq = new(StringComparer.Ordinal);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await nats.ConnectAsync();
            await foreach (var msg in nats.SubscribeAsync<ReadOnlyMemory<byte>>(Prefix + ">", cancellationToken: stoppingToken))
            {
                var group = msg.Subject[Prefix.Length..];
                var feed = group[..group.IndexOf('.', StringComparison.Ordinal)];
                using var document = JsonDocument.Parse(msg.Data);
                var root = document.RootElement;
                var (eventName, inner) = feed switch
                {
                    "patients" => ("patients:new", root.GetProperty("patient")),
                    "dashboard" => ("dashboard:activity:new", root.TryGetProperty("activity", out var a) ? a : root),
                    _ => ("claims:updated", root.TryGetProperty("claim", out var c) ? c : root),
                };
                var seq = _seq[group] = _seq.GetValueOrDefault(group) + 1;
                if (settings.MessagePack)
                {
                    await hub.Clients.Group(group).SendAsync(eventName, ToDictionary(inner), new Dictionary<string, long> { ["seq"] = seq }, stoppingToken);
                }
                else
                {
                    await hub.Clients.Group(group).SendAsync(eventName, inner.Clone(), new SeqArg(seq), stoppingToken);
                }
            }
        }

        private static Dictionary<string, object?> ToDictionary(JsonElement element)
        {
            var result = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                result[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Number => property.Value.GetInt64(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => null,
                };
            }

            return result;
        }
    }

    internal readonly record struct SeqArg(long Seq);
}
