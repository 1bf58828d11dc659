using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Protocol;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// A browser socket watched through a node's stop: when it was told <c>connection:status {draining: true}</c>
/// and when (and how) it closed, as Stopwatch timestamps. One made to leave when told disposes itself on
/// that push, as the page does when it reconnects elsewhere.
/// </summary>
public sealed class WatchedSocket : IAsyncDisposable
{
    private readonly TaskCompletionSource<long> _toldDraining = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<long> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _leavesWhenTold;

    private WatchedSocket(PortalClient client, string name)
    {
        Client = client;
        Name = name;

        // A handler of its own beside the client's: the client's read queue stays the test's.
        client.Connection.On<JsonElement>(EventNames.ConnectionStatus, status =>
        {
            if (status.TryGetProperty("draining", out var draining) && draining.ValueKind == JsonValueKind.True
                && _toldDraining.TrySetResult(Stopwatch.GetTimestamp()) && _leavesWhenTold)
            {
                // Not inline: the client's receive loop runs this handler, and its dispose waits for that loop.
                _ = Task.Run(async () => await client.DisposeAsync());
            }
        });
        client.Connection.Closed += error =>
        {
            CloseError = error;
            _closed.TrySetResult(Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        };
    }

    public PortalClient Client { get; }

    public string Name { get; }

    /// <summary>When the draining push arrived.</summary>
    public Task<long> ToldDraining => _toldDraining.Task;

    /// <summary>When the socket closed, by the portal or by this side.</summary>
    public Task<long> Closed => _closed.Task;

    /// <summary>Null for a clean close (or one this side made); the transport's error for an abnormal one (e.g. 1006).</summary>
    public Exception? CloseError { get; private set; }

    public static async Task<WatchedSocket> AnonymousAsync(Uri portal, string name, bool leavesWhenTold = false) =>
        new(await PortalClient.ConnectAsync(portal), name) { _leavesWhenTold = leavesWhenTold };

    public static async Task<WatchedSocket> LoggedInAsync(Uri portal, string name, string email, string password, bool leavesWhenTold = false)
    {
        var socket = await AnonymousAsync(portal, name, leavesWhenTold);
        var login = await socket.Client.AskAsync(EventNames.AuthLogin, new { email, password });
        Assert.True(login.GetProperty("success").GetBoolean(), $"{name}: login failed: {login}");
        return socket;
    }

    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
