using Portal.IntegrationTests.Infrastructure;
using Portal.Protocol;

namespace Portal.IntegrationTests;

/// <summary>A user's sockets that subscribe together to one tenant's feed share one snapshot request (issue 12, "A crowd can log in").</summary>
public sealed class SnapshotFlightTests
{
    [Fact]
    public async Task ThreeSocketsOfOneUser_SubscribingTogether_CostTheServiceOneListRequest_AndEachGetsTheList()
    {
        await using var portal = await IsolatedPortal.StartAsync(withDemo: false);
        await using var services = await PlayedServices.StartAsync(portal);
        var sockets = new List<PortalClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var client = await portal.ConnectAsync();
                await client.AskAsync("auth:login", new { email = "demo@htpi.com", password = "demo123" });
                await client.AskAsync("user:tenant:select", new { tenantId = "tenant-001" });
                sockets.Add(client);
            }

            // The service holds its answer, so all three subscribes are asked while the first request is out.
            services.Hold(Subjects.PatientList);
            await Task.WhenAll(sockets.Select(s => s.CallAsync("patients:subscribe")));
            await Eventually.HoldsAsync(() => Task.FromResult(services.Waiting(Subjects.PatientList) >= 1));
            await Task.Delay(300);
            Assert.Equal(1, services.Waiting(Subjects.PatientList));

            await services.LetThrough(Subjects.PatientList);
            foreach (var socket in sockets)
            {
                Assert.Equal("p-1", (await socket.NextAsync(EventNames.PatientsListed)).Payload[0].GetProperty("id").GetString());
            }

            // Once answered the flight is over: a later subscribe asks afresh.
            await sockets[0].CallAsync("patients:subscribe");
            await sockets[0].NextAsync(EventNames.PatientsListed);
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }
}
