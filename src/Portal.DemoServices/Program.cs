using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.DemoServices;

// Stand-alone HTPI demo services: answers every HTPI NATS subject with sample data until Ctrl+C.
var natsUrl = Environment.GetEnvironmentVariable("NATS_URL");
if (string.IsNullOrWhiteSpace(natsUrl))
{
    await Console.Error.WriteLineAsync("NATS_URL is required, e.g. NATS_URL=nats://127.0.0.1:4222");
    return 2;
}

TimeSpan? liveInterval = null;
var intervalText = Environment.GetEnvironmentVariable("DEMO_LIVE_INTERVAL_SECONDS");
if (!string.IsNullOrWhiteSpace(intervalText))
{
    if (!double.TryParse(intervalText, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds <= 0 || seconds > 86_400)
    {
        await Console.Error.WriteLineAsync("DEMO_LIVE_INTERVAL_SECONDS must be a number of seconds between 0 and 86400");
        return 2;
    }
    liveInterval = TimeSpan.FromSeconds(seconds);
}

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("NATS.Client", LogLevel.Warning);
builder.Services.AddHtpiDemoServices(natsUrl, liveInterval);

using var host = builder.Build();
await host.StartAsync();
host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.DemoServices")
    .LogInformation("HTPI demo services answering on {NatsUrl}", DisplayUrl.Redact(natsUrl));
await host.WaitForShutdownAsync();
return 0;
