using NATS.Client.JetStream.Models;
using Portal.Host.Configuration;

namespace Portal.Host.Nats;

/// <summary>The history stream's shape, from the settings, and whether a stream already has it.</summary>
internal static class HistoryStreamConfig
{
    /// <summary>Every broadcast subject the portal relays.</summary>
    public const string Subjects = "customer.broadcast.>";

    public static StreamConfig New(PortalHostSettings settings) => WithLimits(
        new StreamConfig(settings.HistoryStream, [Subjects]) { Storage = StreamConfigStorage.File }, settings);

    /// <summary><paramref name="config"/> with the settings' limits; the rest (storage among it) as it was.</summary>
    public static StreamConfig WithLimits(StreamConfig config, PortalHostSettings settings) => config with
    {
        Subjects = [Subjects],
        MaxMsgsPerSubject = settings.ReplayHistoryLimit,
        MaxAge = settings.ReplayHistoryAge,
        Discard = StreamConfigDiscard.Old,
        AllowDirect = true,
        NumReplicas = settings.HistoryReplicas,
    };

    public static bool HasLimits(StreamConfig config, PortalHostSettings settings) =>
        Describe(config) == Describe(WithLimits(config, settings));

    /// <summary>The limits the portal sets, for one log line.</summary>
    public static string Describe(StreamConfig config) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"subjects {string.Join(",", config.Subjects ?? [])}, {config.MaxMsgsPerSubject} per subject, {config.MaxAge.TotalSeconds:0} s, discard {config.Discard}, allow_direct {config.AllowDirect}, {config.NumReplicas} replicas");
}
