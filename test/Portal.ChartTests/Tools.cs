using System.Diagnostics;

namespace Portal.ChartTests;

/// <summary>The repository, the chart, and the external tools the tests run (helm, yamllint).</summary>
internal static class Tools
{
    public static readonly string RepoRoot = FindRepoRoot();

    public static readonly string Chart = Path.Combine(RepoRoot, "charts", "htpi-customer-portal");

    /// <summary>
    /// helm from the <c>HELM</c> variable (scripts/test.sh sets it), else the copy scripts/test.sh
    /// caches under .artifacts/tools.
    /// </summary>
    public static string Helm
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("HELM");
            if (!string.IsNullOrWhiteSpace(fromEnv))
            {
                return File.Exists(fromEnv)
                    ? fromEnv
                    : throw new InvalidOperationException($"HELM={fromEnv} does not exist. Run scripts/test.sh, which fetches helm.");
            }

            var cached = Path.Combine(RepoRoot, ".artifacts", "tools", "helm-3.17", "helm", "helm");
            return File.Exists(cached)
                ? cached
                : throw new InvalidOperationException(
                    "helm not found: set HELM to a helm 3 binary, or run scripts/test.sh once (it caches helm under .artifacts/tools).");
        }
    }

    public static string Yamllint => Environment.GetEnvironmentVariable("YAMLLINT") is { Length: > 0 } y ? y : "yamllint";

    public static ToolResult Run(string file, IEnumerable<string> args, string? stdin = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // helm keeps caches and config under $HOME; keep them out of the user's.
        var helmHome = Path.Combine(RepoRoot, ".artifacts", "helm-home");
        info.Environment["HELM_CACHE_HOME"] = Path.Combine(helmHome, "cache");
        info.Environment["HELM_CONFIG_HOME"] = Path.Combine(helmHome, "config");
        info.Environment["HELM_DATA_HOME"] = Path.Combine(helmHome, "data");

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {file}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {file} ({e.Message}); scripts/test.sh installs it.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (stdin is not null)
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within 60 s.");
            }

            return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HtpiActors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("HtpiActors.sln not found above the test's folder.");
    }
}

internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}
