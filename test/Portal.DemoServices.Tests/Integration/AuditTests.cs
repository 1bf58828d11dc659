using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.DemoServices.Tests.Integration;

[Collection(DemoServicesCollection.Name)]
public sealed class AuditTests(DemoServicesFixture fixture)
{
    [Fact]
    public async Task AuditAccess_Published_IsCounted()
    {
        await using var client = await TestClient.ConnectAsync(fixture.Nats.Url);
        var store = fixture.Services.GetRequiredService<DemoStore>();
        var before = store.AuditCount;

        await client.Nats.PublishAsync("htpi.audit.access", TestClient.Encode(new JsonObject
        {
            ["userId"] = "user-demo",
            ["tenantId"] = "tenant-001",
            ["resource"] = "patient",
            ["resourceId"] = "p-001-01",
            ["at"] = DateTimeOffset.UtcNow.ToString("O"),
        }));

        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (store.AuditCount == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(before + 1, store.AuditCount);
    }
}
