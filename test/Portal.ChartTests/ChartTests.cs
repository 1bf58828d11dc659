using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Portal.Host.Configuration;
using Portal.Host.Extensions;

namespace Portal.ChartTests;

/// <summary>
/// The Helm chart, rendered by a real helm 3 (no cluster): it lints, renders valid YAML for the
/// common setups, and gives the host exactly what the host reads, on the port and paths it serves.
/// </summary>
public sealed class ChartTests
{
    /// <summary>Ingress, HPA, ServiceMonitor and NATS user/password all on.</summary>
    private static readonly string[] EverythingOn =
    [
        "ingress.enabled=true",
        "autoscaling.enabled=true",
        "metrics.serviceMonitor.enabled=true",
        "nats.auth.user=portal",
        "nats.auth.password=secret",
        "tracing.otlpEndpoint=http://otel-collector:4317",
    ];

    public static TheoryData<string, string[]> Setups => new()
    {
        { "defaults", [] },
        { "everything on", EverythingOn },
        { "existing secrets, TLS and creds", ["nats.auth.existingSecret=nats-auth", "nats.creds.existingSecret=nats-creds", "nats.tls.existingSecret=nats-tls", "nats.tls.certKey=tls.crt", "nats.tls.keyKey=tls.key", "nats.url=tls://nats.example:4222"] },
    };

    [Fact]
    public void HelmLint_DefaultsAndEverythingOn_Passes()
    {
        foreach (var sets in new[] { Array.Empty<string>(), EverythingOn })
        {
            var args = new List<string> { "lint", "--strict", Tools.Chart };
            args.AddRange(sets.SelectMany(s => new[] { "--set", s }));
            var result = Tools.Run(Tools.Helm, args);
            Assert.True(result.ExitCode == 0, $"helm lint {string.Join(' ', sets)} failed:\n{result.Output}");
        }
    }

    [Fact]
    public void Template_Defaults_RendersTheCoreResourcesOnly()
    {
        var chart = RenderedChart.Template();

        var kinds = chart.Resources.Select(r => (string)r["kind"]!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["ConfigMap", "Deployment", "PodDisruptionBudget", "Service", "ServiceAccount"], kinds);
        Assert.Equal("2", (string?)chart.Deployment["spec"]!["replicas"]);
    }

    [Fact]
    public void Template_EverythingOn_RendersIngressHpaServiceMonitorAndSecret()
    {
        var chart = RenderedChart.Template(EverythingOn);

        chart.Single("Ingress");
        chart.Single("HorizontalPodAutoscaler");
        chart.Single("ServiceMonitor");
        chart.Single("Secret");

        // The HPA owns the replica count.
        Assert.Null(chart.Deployment["spec"]!["replicas"]);
        var monitor = chart.Single("ServiceMonitor");
        Assert.Equal("/metrics", (string?)monitor["spec"]!["endpoints"]![0]!["path"]);
        Assert.Equal("http", (string?)monitor["spec"]!["endpoints"]![0]!["port"]);
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public void Template_Rendered_PassesYamllint(string setup, string[] sets)
    {
        var chart = RenderedChart.Template(sets);

        var result = Tools.Run(Tools.Yamllint, ["--strict", "-c", Path.Combine(Tools.RepoRoot, ".yamllint"), "-"], chart.Yaml);
        Assert.True(result.ExitCode == 0, $"yamllint on the {setup} render:\n{result.Output}");
    }

    [Theory]
    [MemberData(nameof(Setups))]
    public void Deployment_Environment_OnlyVariablesTheHostReads(string setup, string[] sets)
    {
        var env = RenderedChart.Template(sets).Environment();

        var unknown = env.Keys.Except(PortalHostSettings.KnownVariables, StringComparer.Ordinal).ToList();
        Assert.True(unknown.Count == 0, $"{setup}: the chart sets variables the host never reads: {string.Join(", ", unknown)}");
        foreach (var required in PortalHostSettings.RequiredVariables)
        {
            Assert.True(env.TryGetValue(required, out var value) && value.Length > 0, $"{setup}: {required} has no value");
        }
    }

    [Fact]
    public void Deployment_ExtraEnv_IsSeenByTheVariableCheck()
    {
        // The check above has teeth: a variable the host does not read shows up in what it compares.
        var env = RenderedChart.Template("extraEnv[0].name=NATS_URLS", "extraEnv[0].value=nats://typo:4222").Environment();

        Assert.Equal("nats://typo:4222", env["NATS_URLS"]);
        Assert.DoesNotContain("NATS_URLS", PortalHostSettings.KnownVariables);
    }

    [Fact]
    public void Deployment_DefaultEnvironment_IsAcceptedByTheHost()
    {
        var chart = RenderedChart.Template(EverythingOn);
        var env = chart.Environment();
        var config = new ConfigurationBuilder().AddInMemoryCollection(env.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value))).Build();

        PortalHostSettings.From(config, out var problems);

        Assert.Empty(problems);
        Assert.Equal($"nats://{RenderedChart.Release}-nats:4222", env[PortalHostSettings.NatsUrlKey]);
        Assert.Equal("Secret", chart.Single("Secret")["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Deployment_HistoryDefaults_AreTheHostsDefaults()
    {
        var env = RenderedChart.Template().Environment();
        var host = PortalHostSettings.Default;

        Assert.Equal("auto", env[PortalHostSettings.HistoryStoreKey]);
        Assert.Equal(host.HistoryStream, env[PortalHostSettings.HistoryStreamKey]);
        Assert.Equal(host.ReplayHistoryLimit.ToString(CultureInfo.InvariantCulture), env[PortalHostSettings.ReplayHistoryLimitKey]);
        Assert.Equal(host.ReplayHistoryAge.TotalSeconds.ToString(CultureInfo.InvariantCulture), env[PortalHostSettings.ReplayHistorySecondsKey]);
        Assert.Equal(host.HistoryReplicas.ToString(CultureInfo.InvariantCulture), env[PortalHostSettings.HistoryReplicasKey]);
    }

    [Fact]
    public void Deployment_HistoryValues_ReachTheHostAsItsSettings()
    {
        var env = RenderedChart.Template(
            "history.store=jetstream", "history.stream=PORTAL_HISTORY", "history.limit=50", "history.seconds=600", "history.replicas=3").Environment();
        var config = new ConfigurationBuilder().AddInMemoryCollection(env.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value))).Build();

        var settings = PortalHostSettings.From(config, out var problems);

        Assert.Empty(problems);
        Assert.Equal(HistoryStoreChoice.JetStream, settings.HistoryStore);
        Assert.Equal("PORTAL_HISTORY", settings.HistoryStream);
        Assert.Equal(50, settings.ReplayHistoryLimit);
        Assert.Equal(TimeSpan.FromSeconds(600), settings.ReplayHistoryAge);
        Assert.Equal(3, settings.HistoryReplicas);
    }

    [Fact]
    public void Docs_NatsChartLine_EnablesJetStream()
    {
        // The history needs JetStream on the official NATS chart; both places that tell how to install it say so.
        var deployment = File.ReadAllText(Path.Combine(Tools.RepoRoot, "docs", "DEPLOYMENT.md"));
        var values = File.ReadAllText(Path.Combine(Tools.Chart, "values.yaml"));

        Assert.Contains("--set config.jetstream.enabled=true", deployment, StringComparison.Ordinal);
        Assert.DoesNotContain("needs no JetStream", deployment, StringComparison.Ordinal);
        Assert.Contains("config.jetstream.enabled=true", values, StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_PortAndProbes_MatchTheHost()
    {
        var chart = RenderedChart.Template();
        var container = chart.Container;
        var port = PortalHostSettings.Default.Port.ToString(CultureInfo.InvariantCulture);

        Assert.Equal(port, (string?)container["ports"]![0]!["containerPort"]);
        Assert.Equal("http", (string?)container["ports"]![0]!["name"]);
        Assert.Equal(port, chart.Environment()[PortalHostSettings.PortKey]);
        Assert.Equal(HealthExtensions.LivenessPath, (string?)container["startupProbe"]!["httpGet"]!["path"]);
        Assert.Equal(HealthExtensions.LivenessPath, (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal(HealthExtensions.ReadinessPath, (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.All(new[] { "startupProbe", "livenessProbe", "readinessProbe" }, p => Assert.Equal("http", (string?)container[p]!["httpGet"]!["port"]));
        Assert.Equal("http", (string?)chart.Single("Service")["spec"]!["ports"]![0]!["targetPort"]);
    }

    [Fact]
    public void Deployment_PortValue_MovesContainerPortAndVariableTogether()
    {
        var chart = RenderedChart.Template("config.port=8080");

        Assert.Equal("8080", (string?)chart.Container["ports"]![0]!["containerPort"]);
        Assert.Equal("8080", chart.Environment()[PortalHostSettings.PortKey]);
    }

    [Theory]
    [InlineData(25, 5, 35)]
    [InlineData(60, 0, 65)]
    public void Deployment_GracePeriod_CoversPreStopAndDrain(int drain, int preStop, int expected)
    {
        var chart = RenderedChart.Template($"config.drainTimeoutSeconds={drain}", $"lifecycle.preStopSleepSeconds={preStop}");

        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), (string?)chart.PodSpec["terminationGracePeriodSeconds"]);
        Assert.Equal(drain.ToString(CultureInfo.InvariantCulture), chart.Environment()[PortalHostSettings.DrainTimeoutKey]);
        var preStopHook = chart.Container["lifecycle"]?["preStop"];
        if (preStop > 0)
        {
            Assert.Equal(["sleep", preStop.ToString(CultureInfo.InvariantCulture)], preStopHook!["exec"]!["command"]!.AsArray().Select(n => (string)n!));
        }
        else
        {
            Assert.Null(preStopHook);
        }
    }

    [Fact]
    public void Deployment_SecurityContext_IsRestricted()
    {
        var chart = RenderedChart.Template();
        var pod = chart.PodSpec;
        var container = chart.Container["securityContext"]!;

        Assert.Equal("true", (string?)pod["securityContext"]!["runAsNonRoot"]);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
        Assert.Equal("true", (string?)container["readOnlyRootFilesystem"]);
        Assert.Equal("false", (string?)container["allowPrivilegeEscalation"]);
        Assert.Equal(["ALL"], container["capabilities"]!["drop"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("false", (string?)pod["automountServiceAccountToken"]);

        // The read-only root needs a writable /tmp.
        var tmpMount = chart.Container["volumeMounts"]!.AsArray().Single(m => (string?)m!["mountPath"] == "/tmp")!;
        var tmpVolume = pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == (string?)tmpMount["name"])!;
        Assert.NotNull(tmpVolume["emptyDir"]);
    }

    [Fact]
    public void Deployment_ConfigChange_ChangesTheChecksumAnnotation()
    {
        static string Checksum(RenderedChart chart) => (string)chart.Deployment["spec"]!["template"]!["metadata"]!["annotations"]!["checksum/config"]!;

        var before = Checksum(RenderedChart.Template());
        var after = Checksum(RenderedChart.Template("config.requestTimeoutSeconds=9"));

        Assert.Matches("^[0-9a-f]{64}$", before);
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Ingress_SignalR_GetsWebSocketsLongTimeoutsAndCookieAffinity()
    {
        var chart = RenderedChart.Template("ingress.enabled=true", "ingress.annotations.example\\.com/owner=team");
        var annotations = chart.Single("Ingress")["metadata"]!["annotations"]!.AsObject();

        Assert.Equal("cookie", (string?)annotations["nginx.ingress.kubernetes.io/affinity"]);
        Assert.False(string.IsNullOrEmpty((string?)annotations["nginx.ingress.kubernetes.io/session-cookie-name"]));
        Assert.Equal("3600", (string?)annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]);
        Assert.Equal("3600", (string?)annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]);
        Assert.Equal("1.1", (string?)annotations["nginx.ingress.kubernetes.io/proxy-http-version"]);
        Assert.Equal("team", (string?)annotations["example.com/owner"]);
        var backend = chart.Single("Ingress")["spec"]!["rules"]![0]!["http"]!["paths"]![0]!["backend"]!["service"]!;
        Assert.Equal((string?)chart.Single("Service")["metadata"]!["name"], (string?)backend["name"]);
    }

    [Fact]
    public void Pdb_IsOnByDefault_AndHpaOff()
    {
        var chart = RenderedChart.Template();

        Assert.Equal("1", (string?)chart.Single("PodDisruptionBudget")["spec"]!["maxUnavailable"]);
        Assert.Empty(chart.OfKind("HorizontalPodAutoscaler"));
    }

    [Fact]
    public void Fullname_LongestReleaseName_IsCutTo63()
    {
        var result = Tools.Run(Tools.Helm, ["template", new string('r', 53), Tools.Chart, "--set", "nats.auth.user=u", "--set", "nats.auth.password=p"]);
        Assert.True(result.ExitCode == 0, result.Output);
        var chart = RenderedChart.Parse(result.Stdout);

        Assert.All(chart.Resources, r => Assert.True(((string)r["metadata"]!["name"]!).Length <= 63));
    }

    [Theory]
    [InlineData("config.env=staging")]
    [InlineData("nats.url=http://nats:4222")]
    [InlineData("config.requestTimeoutSeconds=0")]
    [InlineData("nats.auth.user=portal")]
    [InlineData("history.store=redis")]
    [InlineData("history.stream=HTPI.BROADCASTS")]
    [InlineData("history.limit=0")]
    [InlineData("history.seconds=0")]
    [InlineData("history.replicas=6")]
    public void Template_BadValue_IsRefusedAtRender(string set)
    {
        var result = Tools.Run(Tools.Helm, ["template", RenderedChart.Release, Tools.Chart, "--set", set]);

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public void Values_EveryLeaf_IsDocumentedWithParam()
    {
        var lines = File.ReadAllLines(Path.Combine(Tools.Chart, "values.yaml"));
        var documented = lines.Select(l => l.Trim()).Where(l => l.StartsWith("## @param ", StringComparison.Ordinal))
            .Select(l => l["## @param ".Length..].Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        var values = RenderedChart.Parse(File.ReadAllText(Path.Combine(Tools.Chart, "values.yaml"))).Resources.Single();

        var missing = Leaves(values, "").Where(path => !documented.Any(d => path == d || path.StartsWith(d + ".", StringComparison.Ordinal))).ToList();
        Assert.True(missing.Count == 0, "values without ## @param: " + string.Join(", ", missing));
    }

    private static IEnumerable<string> Leaves(JsonNode? node, string prefix) =>
        node is JsonObject obj && obj.Count > 0
            ? obj.SelectMany(kv => Leaves(kv.Value, prefix.Length == 0 ? kv.Key : $"{prefix}.{kv.Key}"))
            : [prefix];
}
