using System.Text.Json.Nodes;

namespace Portal.DemoServices;

/// <summary>
/// Makes the demo feel alive: on every tick, per tenant, a claim changes status and the dashboard
/// gets an activity line; every few ticks the stats and a patient update follow.
/// </summary>
internal sealed class LiveFeedPublisher(DemoStore store)
{
    private const int StatsEvery = 2;
    private const int PatientUpdateEvery = 3;

    // Shared across tenants and ticks; Random is not thread-safe, but only the feed loop uses it.
    private readonly Random _random = new();
    private long _tick;

    /// <summary>The messages of one tick, already applied to the store so lists and broadcasts agree.</summary>
    public IReadOnlyList<DemoPublication> NextTick()
    {
        var tick = Interlocked.Increment(ref _tick);
        var publications = new List<DemoPublication>();
        foreach (var tenantId in store.TenantIds)
        {
            if (store.AdvanceRandomClaim(tenantId, _random) is var (claim, claimActivity))
            {
                publications.Add(new(DemoSubjects.ClaimsBroadcast(tenantId), new JsonObject
                {
                    ["type"] = "updated",
                    ["claim"] = claim.ToJson(),
                }));
                publications.Add(Activity(tenantId, claimActivity.ToJson()));
            }
            if (tick % PatientUpdateEvery == 0 && store.TouchRandomPatient(tenantId, _random) is var (patient, visit))
            {
                // Patient broadcasts say "responseType", unlike the other two: kept as the real service sends it.
                publications.Add(new(DemoSubjects.PatientsBroadcast(tenantId), new JsonObject
                {
                    ["responseType"] = "updated",
                    ["patient"] = patient.ToJson(),
                    ["tenantId"] = tenantId,
                }));
                publications.Add(Activity(tenantId, visit.ToJson()));
            }
            if (tick % StatsEvery == 0)
            {
                publications.Add(new(DemoSubjects.DashboardBroadcast(tenantId), new JsonObject
                {
                    ["type"] = "stats",
                    ["stats"] = store.Stats(tenantId).ToJson(),
                }));
            }
        }
        return publications;
    }

    private static DemoPublication Activity(string tenantId, JsonObject activity) =>
        new(DemoSubjects.DashboardBroadcast(tenantId), new JsonObject { ["type"] = "activity", ["activity"] = activity });
}
