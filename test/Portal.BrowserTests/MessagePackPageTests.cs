using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.BrowserTests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Portal.BrowserTests.Infrastructure.PortalPage;

namespace Portal.BrowserTests;

/// <summary>The page opened with <c>?protocol=msgpack</c>: it speaks MessagePack to the hub, binary frames only.</summary>
[Collection(BrowserCollection.Name)]
public sealed class MessagePackPageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ProtocolMsgpack_LoginDashboardAndLiveActivity_HubFramesAreBinaryAndTheTabRemembersIt()
    {
        await using var session = await fixture.OpenAsync(nameof(ProtocolMsgpack_LoginDashboardAndLiveActivity_HubFramesAreBinaryAndTheTabRemembersIt));
        var page = session.Page;
        var problems = CollectProblems(page);

        // The opcode of every frame the portal sends on a hub socket (1 text, 2 binary), from Chromium's
        // DevTools protocol: Playwright's own frame event gives both a Text and a Binary view of each frame.
        var hubSockets = new ConcurrentDictionary<string, int>();
        var received = new ConcurrentQueue<(string Socket, int Opcode)>();
        var devTools = await page.Context.NewCDPSessionAsync(page);
        devTools.Event("Network.webSocketCreated").OnEvent += (_, e) =>
        {
            if (e?.GetProperty("url").GetString()?.Contains("/hubs/portal", StringComparison.Ordinal) == true)
            {
                hubSockets.TryAdd(e.Value.GetProperty("requestId").GetString()!, hubSockets.Count + 1);
            }
        };
        devTools.Event("Network.webSocketFrameReceived").OnEvent += (_, e) =>
            received.Enqueue((e!.Value.GetProperty("requestId").GetString()!, e.Value.GetProperty("response").GetProperty("opcode").GetInt32()));
        await devTools.SendAsync("Network.enable");

        await page.GotoAsync("/?protocol=msgpack");
        await LoginAsync(page, "demo@htpi.com", "demo123", navigate: false);
        await page.GetByRole(AriaRole.Button, new() { Name = "Mercy General Hospital" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/dashboard$"));
        await Expect(page.Locator("[data-stat=patients] .stat-value")).ToHaveTextAsync("5");
        await Expect(page.Locator("#current-user")).ToHaveTextAsync("Demo User");
        await fixture.PublishAsync("customer.broadcast.dashboard.tenant-001",
            """{"type":"activity","activity":{"id":"act-msgpack-1","type":"claim","message":"MessagePack test: claim approved","timestamp":"2026-11-27T10:00:00Z"}}""");
        await Expect(page.GetByText("MessagePack test: claim approved")).ToBeVisibleAsync(new() { Timeout = 2000 });

        // A reload without the query keeps MessagePack: the tab remembered it.
        await page.GotoAsync("/#/dashboard");
        await Expect(page.Locator("[data-stat=patients] .stat-value")).ToHaveTextAsync("5");

        const int Binary = 2;
        Assert.Equal(2, hubSockets.Count);
        foreach (var socket in hubSockets.Keys)
        {
            var opcodes = received.Where(f => f.Socket == socket).Select(f => f.Opcode).ToArray();
            Assert.True(opcodes.Length >= 3, $"hub socket {hubSockets[socket]} received only {opcodes.Length} frames");
            Assert.All(opcodes, opcode => Assert.Equal(Binary, opcode));
        }

        Assert.Empty(problems);
    }
}
