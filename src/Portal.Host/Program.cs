using Portal.Host.Configuration;
using Portal.Host.Extensions;

try
{
    var builder = WebApplication.CreateBuilder(args);
    var settings = builder.AddPortalSettings();
    var startupLogger = builder.AddPortalLogging(settings);
    settings = builder.AddPortalStandalone(settings, startupLogger);
    builder.UsePortalSettings(settings).AddPortalNats().AddPortalActors().AddPortalSignalR(settings).AddPortalDrain(settings).AddPortalTelemetry();

    var app = builder.Build();
    app.MapPortal();
    app.Run();
    return 0;
}
catch (PortalStartupException e)
{
    // An operator's mistake, not a bug: the problems, one per line, and no stack trace.
    foreach (var problem in e.Problems)
    {
        Console.Error.WriteLine(problem);
    }

    return 2;
}
