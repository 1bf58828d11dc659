namespace Portal.DemoServices.Tests.Unit;

public sealed class LiveFeedPublisherTests
{
    [Fact]
    public void NextTick_SixTicks_CoverEveryBroadcastKindForEveryTenant()
    {
        var feed = new LiveFeedPublisher(new DemoStore());

        var all = Enumerable.Range(0, 6).SelectMany(_ => feed.NextTick()).ToList();

        foreach (var tenant in new[] { DemoData.Tenant1, DemoData.Tenant2 })
        {
            var dashboard = all.Where(p => p.Subject == $"customer.broadcast.dashboard.{tenant}").Select(p => (string)p.Body["type"]!).ToHashSet();
            Assert.Equal(["activity", "stats"], dashboard.Order());
            Assert.Contains(all, p => p.Subject == $"customer.broadcast.claims.{tenant}" && (string?)p.Body["type"] == "updated");
            Assert.Contains(all, p => p.Subject == $"customer.broadcast.patients.{tenant}" && (string?)p.Body["responseType"] == "updated");
        }
    }
}
