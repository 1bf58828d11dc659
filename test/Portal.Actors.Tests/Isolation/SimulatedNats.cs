using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Actors.Nats;

namespace Portal.Actors.Tests.Isolation;

/// <summary>
/// An in-memory NATS with HTPI services behind it, for property tests of the whole actor tree:
/// subject matching with single-token wildcards, the per-socket answers of login and tenant lists,
/// the access check by grants, and empty snapshots. Broadcasts are delivered to subscribers.
/// </summary>
public sealed class SimulatedNats(IReadOnlyDictionary<string, (string Password, string[] Tenants)> users) : INatsGateway
{
    private readonly ConcurrentDictionary<long, (string Subject, Action<NatsInbound> OnMessage)> _subscriptions = new();
    private readonly ConcurrentDictionary<string, string> _userOfToken = new();
    private long _ids;

    public NatsLink Link => NatsLink.Up;

    public event Action<NatsLink>? LinkChanged
    {
        add { }
        remove { }
    }

    public Task<bool> PublishAsync(string subject, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers = null, string? replyTo = null)
    {
        var json = JsonNode.Parse(body.Span)!;
        switch (subject)
        {
            case "htpi.auth.login":
                var email = (string)json["email"]!;
                var clientId = (string)json["clientId"]!;
                var ok = users.TryGetValue(email, out var user) && user.Password == (string)json["password"]!;
                var token = $"token-{email}-{Interlocked.Increment(ref _ids)}";
                if (ok)
                {
                    _userOfToken[token] = email;
                }

                Deliver($"customer.auth.response.{clientId}", ok
                    ? new JsonObject { ["success"] = true, ["clientId"] = clientId, ["token"] = token, ["user"] = new JsonObject { ["id"] = email, ["email"] = email } }
                    : new JsonObject { ["success"] = false, ["clientId"] = clientId, ["error"] = "Invalid email or password" });
                break;
            case "htpi.tenant.list.for.user":
                var tenants = new JsonArray(users[(string)json["userId"]!].Tenants.Select(t => (JsonNode)new JsonObject { ["id"] = t, ["name"] = t }).ToArray());
                Deliver($"customer.tenants.response.{(string)json["clientId"]!}", new JsonObject { ["success"] = true, ["tenants"] = tenants });
                break;
            default:
                Deliver(subject, json);
                break;
        }

        return Task.FromResult(true);
    }

    public Task<NatsReply> RequestAsync(string subject, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers, TimeSpan timeout)
    {
        var json = JsonNode.Parse(body.Span)!;
        JsonNode reply = subject switch
        {
            "htpi.tenant.verify.access" => new JsonObject
            {
                ["hasAccess"] = users[(string)json["userId"]!].Tenants.Contains((string)json["tenantId"]!),
                ["userId"] = (string)json["userId"]!,
                ["tenantId"] = (string)json["tenantId"]!,
            },
            "htpi.auth.verify" => _userOfToken.TryGetValue((string)json["token"]!, out var email)
                ? new JsonObject { ["valid"] = true, ["user_id"] = email, ["email"] = email, ["portal"] = "customer" }
                : new JsonObject { ["valid"] = false },
            "htpi.dashboard.get.activity" => new JsonObject { ["activities"] = new JsonArray() },
            "htpi.patient.list" => new JsonObject { ["patients"] = new JsonArray() },
            _ => new JsonObject { ["patients"] = 0 },
        };
        return Task.FromResult(NatsReply.Ok(Encoding.UTF8.GetBytes(reply.ToJsonString())));
    }

    public Task<IAsyncDisposable> SubscribeAsync(string subject, Action<NatsInbound> onMessage, Action<Exception?> onEnded)
    {
        var id = Interlocked.Increment(ref _ids);
        _subscriptions[id] = (subject, onMessage);
        return Task.FromResult<IAsyncDisposable>(new Subscription(() => _subscriptions.TryRemove(id, out _)));
    }

    /// <summary>How many subscriptions are open on exactly <paramref name="subject"/>.</summary>
    public int SubscriptionsOn(string subject) => _subscriptions.Values.Count(s => s.Subject == subject);

    public void Deliver(string subject, JsonNode body)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        foreach (var (pattern, onMessage) in _subscriptions.Values)
        {
            if (Matches(pattern, subject))
            {
                onMessage(new NatsInbound(subject, bytes));
            }
        }
    }

    private static bool Matches(string pattern, string subject)
    {
        var p = pattern.Split('.');
        var s = subject.Split('.');
        return p.Length == s.Length && p.Zip(s).All(x => x.First == "*" || x.First == x.Second);
    }

    private sealed class Subscription(Action dispose) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            dispose();
            return ValueTask.CompletedTask;
        }
    }
}
