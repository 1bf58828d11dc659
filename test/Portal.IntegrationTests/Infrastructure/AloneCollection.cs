namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that read what is process-wide rather than per host: the meters one OpenTelemetry provider
/// sees (instruments of the same name from two hosts in one process are summed) and the static Serilog
/// logger the captured logs hang off. They run alone, not beside other hosts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone in the process";
}
