using System.Text.Json;
using Portal.Host.Standalone;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>Reads nats-server's own monitoring endpoint: the real count of subscriptions and routes.</summary>
public static class NatsMonitor
{
    /// <summary>How many subscriptions the server holds on exactly <paramref name="subject"/>, over all connections.</summary>
    public static async Task<int> SubscriptionsOnAsync(LocalNatsServer server, string subject)
    {
        using var http = new HttpClient { BaseAddress = server.MonitorUrl };
        using var connz = JsonDocument.Parse(await http.GetStringAsync("connz?subs=1"));
        return connz.RootElement.GetProperty("connections").EnumerateArray()
            .Where(c => c.TryGetProperty("subscriptions_list", out _))
            .SelectMany(c => c.GetProperty("subscriptions_list").EnumerateArray())
            .Count(s => s.GetString() == subject);
    }

    public static async Task<int> RoutesAsync(LocalNatsServer server)
    {
        using var http = new HttpClient { BaseAddress = server.MonitorUrl };
        using var routez = JsonDocument.Parse(await http.GetStringAsync("routez"));
        return routez.RootElement.GetProperty("num_routes").GetInt32();
    }
}
