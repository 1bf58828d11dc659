using NATS.Client.Core;
using Portal.Host.Configuration;

namespace Portal.Host.Nats;

/// <summary>Turns the host settings into NATS.Net options.</summary>
internal static class NatsOptionsFactory
{
    public static NatsOpts Create(PortalHostSettings settings, ILoggerFactory loggerFactory) => NatsOpts.Default with
    {
        Url = settings.NatsUrl ?? throw new InvalidOperationException("NATS_URL is not set."),
        Name = "htpi-customer-portal",
        LoggerFactory = new OneLineLoggerFactory(loggerFactory),

        // Keep trying forever, quickly: a portal without NATS is useless, and the browsers wait.
        RetryOnInitialConnect = true,
        MaxReconnectRetry = -1,
        ReconnectWaitMin = TimeSpan.FromMilliseconds(200),
        ReconnectWaitMax = TimeSpan.FromSeconds(2),
        ReconnectJitter = TimeSpan.FromMilliseconds(100),

        // Fail a publish made during a disconnect instead of queueing it until the link is back.
        PublishTimeoutOnDisconnected = true,
        CommandTimeout = TimeSpan.FromSeconds(2),
        AuthOpts = AuthOptions(settings),
        TlsOpts = TlsOptions(settings),
    };

    private static NatsAuthOpts AuthOptions(PortalHostSettings settings) => NatsAuthOpts.Default with
    {
        Username = settings.NatsUser,
        Password = settings.NatsPassword,
        CredsFile = settings.NatsCreds,
    };

    private static NatsTlsOpts TlsOptions(PortalHostSettings settings) =>
        settings.UsesTls
            ? NatsTlsOpts.Default with
            {
                Mode = TlsMode.Require,
                CaFile = settings.NatsTlsCa,
                CertFile = settings.NatsTlsCert,
                KeyFile = settings.NatsTlsKey,
            }
            : NatsTlsOpts.Default;
}
