namespace Portal.DemoServices;

/// <summary>NATS URLs may carry <c>user:password@</c>; this is the form fit for a log line.</summary>
internal static class DisplayUrl
{
    public static string Redact(string natsUrls) =>
        string.Join(",", natsUrls.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(RedactOne));

    private static string RedactOne(string url)
    {
        var at = url.LastIndexOf('@');
        if (at < 0)
        {
            return url;
        }
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var prefix = scheme >= 0 && scheme < at ? url[..(scheme + 3)] : "";
        return prefix + "***@" + url[(at + 1)..];
    }
}
