using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Portal.ChartTests;

/// <summary>What <c>helm template</c> made of the chart: the text and each resource as JSON.</summary>
internal sealed class RenderedChart
{
    public const string Release = "portal";

    private RenderedChart(string yaml, IReadOnlyList<JsonObject> resources)
    {
        Yaml = yaml;
        Resources = resources;
    }

    public string Yaml { get; }

    public IReadOnlyList<JsonObject> Resources { get; }

    public static RenderedChart Template(params string[] sets)
    {
        var args = new List<string> { "template", Release, Tools.Chart, "--namespace", "htpi" };
        foreach (var set in sets)
        {
            args.Add("--set");
            args.Add(set);
        }

        var result = Tools.Run(Tools.Helm, args);
        Assert.True(result.ExitCode == 0, $"helm template failed:\n{result.Output}");
        return Parse(result.Stdout);
    }

    public static RenderedChart Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var resources = stream.Documents
            .Where(d => d.RootNode is YamlMappingNode)
            .Select(d => (JsonObject)ToJson(d.RootNode)!)
            .ToList();
        return new RenderedChart(yaml, resources);
    }

    public IEnumerable<JsonObject> OfKind(string kind) =>
        Resources.Where(r => (string?)r["kind"] == kind);

    public JsonObject Single(string kind)
    {
        var found = OfKind(kind).ToList();
        Assert.True(found.Count == 1, $"expected one {kind}, found {found.Count}");
        return found[0];
    }

    public JsonObject Deployment => Single("Deployment");

    public JsonObject Container => (JsonObject)Deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;

    public JsonObject PodSpec => (JsonObject)Deployment["spec"]!["template"]!["spec"]!;

    /// <summary>
    /// Every variable the container gets: its own <c>env</c> (values of secret refs as a placeholder)
    /// and the data of each ConfigMap or Secret it takes whole through <c>envFrom</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Container["envFrom"]?.AsArray() ?? [])
        {
            var (kind, reference) = source!["configMapRef"] is { } cm ? ("ConfigMap", cm) : ("Secret", source["secretRef"]!);
            var name = (string)reference["name"]!;
            var resource = OfKind(kind).SingleOrDefault(r => (string?)r["metadata"]!["name"] == name);
            Assert.True(resource is not null, $"envFrom names {kind} {name}, which the chart does not render");
            foreach (var (key, value) in resource["data"]?.AsObject() ?? [])
            {
                env[key] = (string?)value ?? "";
            }
        }

        foreach (var variable in Container["env"]?.AsArray() ?? [])
        {
            env[(string)variable!["name"]!] = (string?)variable["value"] ?? "<from " + variable["valueFrom"]!.ToJsonString() + ">";
        }

        return env;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Value: "null" or "~" or "", Style: YamlDotNet.Core.ScalarStyle.Plain } => null,
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}
