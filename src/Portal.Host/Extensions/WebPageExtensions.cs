using System.Text.RegularExpressions;
using Portal.Host.Configuration;

namespace Portal.Host.Extensions;

/// <summary>
/// What the browser page needs from the host besides its static files: a Content-Security-Policy
/// that lets the page run only its own script and talk only to its own hub, and <c>/config.json</c>,
/// which tells the page whether to hint the demo logins. It carries no secret.
/// </summary>
public static partial class WebPageExtensions
{
    public const string ConfigPath = "/config.json";

    /// <summary>Call before the static files, so every response carries the policy.</summary>
    public static WebApplication UsePortalWebPage(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Request.Host.Value);
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            return next(context);
        });

        var settings = app.Services.GetRequiredService<PortalHostSettings>();
        var body = DemoMode(settings) ? """{"demo":true}""" : """{"demo":false}""";
        app.MapGet(ConfigPath, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Text(body, "application/json");
        });
        return app;
    }

    /// <summary>Demo logins are hinted when the demo services run in-process or the host is not in production.</summary>
    public static bool DemoMode(PortalHostSettings settings) => settings.Standalone || !settings.IsProduction;

    /// <summary>
    /// Only the portal's own files; no inline script or style, no eval. WebSockets only to this host
    /// (older browsers do not count <c>ws:</c> of the same host as <c>'self'</c>).
    /// </summary>
    public static string ContentSecurityPolicy(string? host)
    {
        var sockets = host is { Length: > 0 and <= 255 } && HostPattern().IsMatch(host) ? $" ws://{host} wss://{host}" : string.Empty;
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + $"connect-src 'self'{sockets}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    // A host name or address with an optional port: nothing that could end the directive.
    [GeneratedRegex(@"^[A-Za-z0-9.\-\[\]:]+\z")]
    private static partial Regex HostPattern();
}
