using Portal.Actors.Nats;
using Portal.Actors.Subscriptions;

namespace Portal.Actors.Tests;

public sealed class SnapshotFlightsSpecs
{
    private static readonly SnapshotFlights.Key Ann = new("htpi.patient.list", "tenant-001", "user-ann", 7, "e1");

    [Fact]
    public async Task SnapshotFlights_must_share_one_request_between_asks_of_the_same_key_while_it_is_out()
    {
        var flights = new SnapshotFlights();
        var service = new TaskCompletionSource<NatsReply>();
        var requests = 0;

        var first = flights.Ask(Ann, () => { requests++; return service.Task; }, out var firstShared);
        var second = flights.Ask(Ann, () => { requests++; return service.Task; }, out var secondShared);
        service.SetResult(NatsReply.NoResponders);

        Assert.Equal((1, false, true), (requests, firstShared, secondShared));
        Assert.Equal(NatsReply.NoResponders, await first);
        Assert.Equal(NatsReply.NoResponders, await second);
        Assert.Equal(1, flights.Shared);
    }

    [Theory]
    [InlineData("user-bob", 7, "e1")] // another user: the services may answer each user differently
    [InlineData("user-ann", 8, "e1")] // another seq: the answer might predate a broadcast the later feed will not get live
    [InlineData("user-ann", 7, "e2")] // another history
    public void SnapshotFlights_must_not_share_between_different_users_seqs_or_epochs(string user, long asOf, string epoch)
    {
        var flights = new SnapshotFlights();
        var requests = 0;
        var pending = new TaskCompletionSource<NatsReply>().Task;

        flights.Ask(Ann, () => { requests++; return pending; }, out _);
        flights.Ask(Ann with { UserId = user, AsOf = asOf, Epoch = epoch }, () => { requests++; return pending; }, out var shared);

        Assert.Equal((2, false), (requests, shared));
    }

    [Fact]
    public async Task SnapshotFlights_must_start_afresh_once_a_flight_is_answered()
    {
        var flights = new SnapshotFlights();
        var requests = 0;

        await flights.Ask(Ann, () => { requests++; return Task.FromResult(NatsReply.TimedOut); }, out _);
        await flights.Ask(Ann, () => { requests++; return Task.FromResult(NatsReply.TimedOut); }, out var shared);

        Assert.Equal((2, false), (requests, shared));
    }

    [Fact]
    public async Task SnapshotFlights_must_answer_unavailable_when_the_request_itself_fails()
    {
        var flights = new SnapshotFlights();

        var reply = await flights.Ask(Ann, () => Task.FromException<NatsReply>(new InvalidOperationException("broken")), out _);

        Assert.Equal(NatsReply.Unavailable, reply);
    }
}
