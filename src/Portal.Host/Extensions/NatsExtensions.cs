using NATS.Client.Core;
using Portal.Actors.History;
using Portal.Actors.Nats;
using Portal.Host.Configuration;
using Portal.Host.Nats;

namespace Portal.Host.Extensions;

public static class NatsExtensions
{
    /// <summary>
    /// One NATS connection for the node, behind <see cref="INatsGateway"/>, and the replay history's
    /// decision (<see cref="HistoryStore"/>, kept by <see cref="HistoryStreamKeeper"/> on every connect).
    /// </summary>
    public static WebApplicationBuilder AddPortalNats(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new NatsConnection(
            NatsOptionsFactory.Create(sp.GetRequiredService<PortalHostSettings>(), sp.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddSingleton<NatsNetGateway>();
        builder.Services.AddSingleton<INatsGateway>(sp => sp.GetRequiredService<NatsNetGateway>());
        builder.Services.AddHostedService<NatsConnectionStarter>();
        builder.Services.AddSingleton<HistoryStore>();
        builder.Services.AddHostedService<HistoryStreamKeeper>();
        builder.Services.AddSingleton<IBroadcastHistory, JetStreamHistory>();
        builder.Services.AddHealthChecks()
            .AddCheck<NatsReadyHealthCheck>("nats", tags: [HealthExtensions.ReadyTag])
            .AddCheck<HistoryReadyHealthCheck>("history", tags: [HealthExtensions.ReadyTag]);
        return builder;
    }
}
