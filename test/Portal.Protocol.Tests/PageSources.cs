using System.Text.RegularExpressions;

namespace Portal.Protocol.Tests;

/// <summary>
/// The event names the browser page (src/Portal.Web/src, TypeScript) spells out: its lists in
/// <c>portal.ts</c>, and every name written at a call site in any of its files.
/// </summary>
internal sealed partial class PageSources
{
    private PageSources(string portalTs, IReadOnlyList<string> allSources)
    {
        Answered = StringsIn(ArrayBlock(portalTs, "ANSWERED"));
        Pushes = StringsIn(ArrayBlock(portalTs, "PUSHES"));
        LiveFeeds = [.. ObjectBlock(portalTs, "LIVE_FEEDS").Select(KeyOf)];
        SentWithoutAnswer = StringsIn(Required(SendSignature().Match(portalTs), "send(method: …)").Groups["union"].Value);
        CalledAt = [.. allSources.SelectMany(s => CallSite().Matches(s)).Where(m => m.Groups["verb"].Value != "on").Select(m => m.Groups["name"].Value)
            .Concat(allSources.SelectMany(s => MethodComparison().Matches(s)).Select(m => m.Groups["name"].Value))];
        ListenedAt = [.. allSources.SelectMany(s => CallSite().Matches(s)).Where(m => m.Groups["verb"].Value == "on").Select(m => m.Groups["name"].Value)];
    }

    /// <summary><c>ANSWERED</c>: the calls whose <c>…:response</c> push the page listens to.</summary>
    public IReadOnlyList<string> Answered { get; }

    /// <summary><c>PUSHES</c>: the pushes the page listens to.</summary>
    public IReadOnlyList<string> Pushes { get; }

    /// <summary>The keys of <c>LIVE_FEEDS</c>: the pushes that carry <c>{seq}</c>.</summary>
    public IReadOnlyList<string> LiveFeeds { get; }

    /// <summary>The methods <c>Portal.send</c> takes: calls answered by pushes, not by a response.</summary>
    public IReadOnlyList<string> SentWithoutAnswer { get; }

    /// <summary>Names at <c>.call("…")</c>, <c>.send("…")</c> and <c>method === "…"</c> anywhere in the page.</summary>
    public IReadOnlyList<string> CalledAt { get; }

    /// <summary>Names at <c>.on("…")</c> anywhere in the page.</summary>
    public IReadOnlyList<string> ListenedAt { get; }

    public static PageSources Read()
    {
        var folder = SourceFolder();
        var files = Directory.GetFiles(folder, "*.ts", SearchOption.AllDirectories);
        return new PageSources(File.ReadAllText(Path.Combine(folder, "portal.ts")), [.. files.Select(File.ReadAllText)]);
    }

    private static string SourceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Portal.Web", "src");
            if (File.Exists(Path.Combine(candidate, "portal.ts")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("src/Portal.Web/src/portal.ts not found above " + AppContext.BaseDirectory);
    }

    private static string ArrayBlock(string source, string name) =>
        Required(new Regex($@"const {name}\s*=\s*\[(?<body>[^\]]*)\]").Match(source), name).Groups["body"].Value;

    private static IEnumerable<string> ObjectBlock(string source, string name) =>
        Required(new Regex($@"const {name}\b[^=]*=\s*\{{(?<body>[^}}]*)\}}").Match(source), name).Groups["body"].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    // "dashboard:stats:update": "dashboard" → the first quoted string.
    private static string KeyOf(string entry) => StringsIn(entry)[0];

    private static Match Required(Match match, string what) =>
        match.Success ? match : throw new InvalidOperationException($"portal.ts no longer has {what}; update {nameof(PageSources)}.");

    private static List<string> StringsIn(string text) => [.. Quoted().Matches(text).Select(m => m.Groups["s"].Value)];

    [GeneratedRegex("\"(?<s>[^\"]*)\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"send\(method:\s*(?<union>""[^)]*?"")\s*,")]
    private static partial Regex SendSignature();

    // portal.on("x", …), portal.call<{…}>("x", …), portal.send("x"): a generic, if any, then the name.
    [GeneratedRegex(@"\.(?<verb>on|call|send)\s*(?:<.*?>)?\(\s*""(?<name>[^""]+)""", RegexOptions.Singleline)]
    private static partial Regex CallSite();

    [GeneratedRegex(@"\bmethod\s*===\s*""(?<name>[^""]+)""")]
    private static partial Regex MethodComparison();
}
