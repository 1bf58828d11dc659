namespace Portal.IntegrationTests.Infrastructure;

/// <summary>The Linux numbers of the signals a test sends to a <see cref="HostProcess"/>.</summary>
public enum UnixSignal
{
    Interrupt = 2,
    Terminate = 15,
}
