using Portal.Host.Configuration;

namespace Portal.ChartTests;

/// <summary>No Docker engine here: the Dockerfile is checked by reading it against the host and the chart.</summary>
public sealed class DockerfileTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(Tools.RepoRoot, "Dockerfile"));

    [Fact]
    public void Dockerfile_Runtime_IsAspNetAsNonRootOnTheHostsPort()
    {
        var runtime = Lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:", StringComparison.Ordinal)).ToArray();
        var port = PortalHostSettings.Default.Port;

        Assert.NotEmpty(runtime);
        Assert.Contains(runtime, l => l.Trim() == $"EXPOSE {port}");
        Assert.Contains(runtime, l => l.Contains($"PORT={port}", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.Contains("/usr/local/bin/nats-server", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_Stages_BuildWithTheSdkAndTheWebBundle()
    {
        Assert.Contains(Lines, l => l.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:", StringComparison.Ordinal));
        Assert.Contains(Lines, l => l.Contains("npm ci", StringComparison.Ordinal));
        Assert.Contains(Lines, l => l.Contains("npm run build", StringComparison.Ordinal));
        Assert.Contains(Lines, l => l.StartsWith("COPY --from=web ", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_EveryCopiedProject_IsOneTheHostBuilds()
    {
        var copied = Lines.Where(l => l.StartsWith("COPY src/", StringComparison.Ordinal) && l.Contains(".csproj", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1]).ToHashSet(StringComparer.Ordinal);
        var needed = new[] { "Portal.Protocol", "Portal.Actors", "Portal.DemoServices", "Portal.Host" }
            .Select(p => $"src/{p}/{p}.csproj");

        Assert.All(needed, p => Assert.Contains(p, copied));
        Assert.All(copied, p => Assert.True(File.Exists(Path.Combine(Tools.RepoRoot, p)), $"{p} does not exist"));
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputAndSecretsOut()
    {
        var ignored = File.ReadAllLines(Path.Combine(Tools.RepoRoot, ".dockerignore"));

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains("**/node_modules/", ignored);
        Assert.Contains(".git", ignored);
    }
}
