namespace Portal.Host.Configuration;

/// <summary>
/// The host cannot start as configured. <c>Program</c> prints each line of the message to stderr
/// and exits non-zero, without a stack trace: these are operator mistakes, not bugs.
/// </summary>
public sealed class PortalStartupException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public PortalStartupException(string problem)
        : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; } = problems;
}
