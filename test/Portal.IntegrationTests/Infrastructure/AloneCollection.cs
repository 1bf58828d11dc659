namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// Tests that read what is process-wide rather than per host: the meters one OpenTelemetry provider
/// sees (instruments of the same name from two hosts in one process are summed), or that stop a host
/// on a clock of their own. They run alone, not beside other hosts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone in the process";
}
