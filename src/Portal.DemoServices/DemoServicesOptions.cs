namespace Portal.DemoServices;

/// <summary>Settings of the in-process demo services.</summary>
internal sealed record DemoServicesOptions
{
    public static DemoServicesOptions Default { get; } = new();

    /// <summary>One or more NATS URLs, comma-separated as NATS clients take them.</summary>
    public string NatsUrl { get; init; } = "nats://127.0.0.1:4222";

    public TimeSpan LiveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long <c>StartAsync</c> waits for NATS before letting the host go on. The portal may start
    /// before NATS; the demo keeps retrying in the background and subscribes once it connects.
    /// </summary>
    public TimeSpan StartupWait { get; init; } = TimeSpan.FromSeconds(10);
}
