using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit;
using Portal.Actors.Nats;
using Portal.Actors.Tests.Fakes;
using static Portal.Actors.Tests.Fakes.ProbeNatsGateway;
using static Portal.Actors.Tests.Fakes.SpecData;

namespace Portal.Actors.Tests;

public sealed class SubjectSubscriberSpecs : PortalSpec
{
    private const string Subject = "customer.broadcast.claims.tenant-001";

    // Larger than the shared defaults so that each step of the backoff (300, 600, 1200 ms) stands well
    // clear of scheduler granularity, and so that the backoff's auto-reset (a child that lived for
    // the min backoff counts as healthy) cannot kick in on a slow machine before a child fails.
    private static readonly PortalActorSettings Backoff = ActorSettings with
    {
        RestartBackoffMin = TimeSpan.FromMilliseconds(300),
        RestartBackoffMax = TimeSpan.FromMilliseconds(1200),
    };

    private readonly TestProbe _nats;
    private readonly TestProbe _target;
    private readonly ProbeNatsGateway _gateway;

    public SubjectSubscriberSpecs()
    {
        _nats = CreateTestProbe("nats");
        _target = CreateTestProbe("target");
        _gateway = new ProbeNatsGateway(_nats.Ref);
    }

    [Fact]
    public async Task SubjectSubscriber_must_tell_the_target_Active_once_the_subscription_is_in_place_and_forward_messages()
    {
        Sys.ActorOf(SubjectSubscriber.Supervised(Subject, _target.Ref, _gateway, Backoff));

        var subscribe = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        Assert.Equal(Subject, subscribe.Subject);
        await _target.ExpectNoMsgAsync(Quiet);

        subscribe.Accept(_nats.Ref);
        Assert.Equal(new SubjectSubscriber.Active(Subject), await _target.ExpectMsgAsync<SubjectSubscriber.Active>(Wait));

        subscribe.Deliver("""{"type":"updated","claim":{"id":"c1"}}""");
        var inbound = await _target.ExpectMsgAsync<NatsInbound>(Wait);
        Assert.Equal(Subject, inbound.Subject);
        Assert.Contains("c1", System.Text.Encoding.UTF8.GetString(inbound.Body.Span));
    }

    [Fact]
    public async Task SubjectSubscriber_must_retry_a_failed_subscribe_with_growing_backoff_until_it_succeeds()
    {
        // The autopilot fails the first three subscribes the moment they arrive (so the backoff's
        // auto-reset never sees a long-lived child) and notes when each subscribe came and failed.
        var requestedAt = new ConcurrentQueue<TimeSpan>();
        var failedAt = new ConcurrentQueue<TimeSpan>();
        var clock = Stopwatch.StartNew();
        var failuresLeft = 3;
        _nats.SetAutoPilot(new DelegateAutoPilot((_, message) =>
        {
            if (message is SubscribeRequested request)
            {
                requestedAt.Enqueue(clock.Elapsed);
                if (failuresLeft-- > 0)
                {
                    failedAt.Enqueue(clock.Elapsed);
                    request.Result.SetException(new NatsUnavailableException("NATS is down"));
                }
            }

            return AutoPilot.KeepRunning;
        }));

        Sys.ActorOf(SubjectSubscriber.Supervised(Subject, _target.Ref, _gateway, Backoff));

        for (var i = 0; i < 3; i++)
        {
            await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
            Assert.Equal(new SubjectSubscriber.Lost(Subject), await _target.ExpectMsgAsync<SubjectSubscriber.Lost>(Wait));
        }

        var last = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        await _target.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        last.Accept(_nats.Ref);
        Assert.Equal(new SubjectSubscriber.Active(Subject), await _target.ExpectMsgAsync<SubjectSubscriber.Active>(Wait));

        var requests = requestedAt.ToArray();
        var failures = failedAt.ToArray();
        Assert.Equal(4, requests.Length);
        Assert.Equal(4, _gateway.SubscribeCount(Subject));

        // Gap n runs from failure n to subscribe n+1. The backoff only ever adds jitter, so each gap is
        // at least min * 2^n (capped at max); a noisy machine can only make gaps longer, never shorter.
        // 10% slack for timer and clock granularity.
        var gaps = Enumerable.Range(0, 3).Select(n => requests[n + 1] - failures[n]).ToArray();
        Assert.True(gaps[0] >= Backoff.RestartBackoffMin * 0.9, $"first gap {gaps[0]} shorter than the min backoff");
        Assert.True(gaps[1] >= Backoff.RestartBackoffMin * 2 * 0.9, $"second gap {gaps[1]} did not double ({string.Join(", ", gaps)})");
        Assert.True(gaps[2] >= Backoff.RestartBackoffMin * 4 * 0.9, $"third gap {gaps[2]} did not double again ({string.Join(", ", gaps)})");
    }

    [Fact]
    public async Task SubjectSubscriber_must_resubscribe_after_the_subscription_ends_with_a_fault()
    {
        Sys.ActorOf(SubjectSubscriber.Supervised(Subject, _target.Ref, _gateway, Backoff));
        var first = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        first.Accept(_nats.Ref);
        await _target.ExpectMsgAsync<SubjectSubscriber.Active>(Wait);

        var clock = Stopwatch.StartNew();
        first.OnEnded(new InvalidOperationException("connection reset"));

        Assert.Equal(new SubjectSubscriber.Lost(Subject), await _target.ExpectMsgAsync<SubjectSubscriber.Lost>(Wait));

        // The broken subscription is released before a new one is made, after at least the min backoff.
        Assert.Equal(new Unsubscribed(Subject), await _nats.ExpectMsgAsync<Unsubscribed>(Wait));
        var second = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        Assert.True(clock.Elapsed >= Backoff.RestartBackoffMin * 0.9, $"resubscribed after {clock.Elapsed}, before the min backoff");
        Assert.Equal(Subject, second.Subject);

        second.Accept(_nats.Ref);
        await _target.ExpectMsgAsync<SubjectSubscriber.Active>(Wait);
        second.Deliver("""{"type":"updated","claim":{"id":"c2"}}""");
        await _target.ExpectMsgAsync<NatsInbound>(Wait);
    }

    [Fact]
    public async Task SubjectSubscriber_must_resubscribe_after_the_subscription_closes_without_being_asked()
    {
        Sys.ActorOf(SubjectSubscriber.Supervised(Subject, _target.Ref, _gateway, Backoff));
        var first = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        first.Accept(_nats.Ref);
        await _target.ExpectMsgAsync<SubjectSubscriber.Active>(Wait);

        first.OnEnded(null);

        await _target.ExpectMsgAsync<SubjectSubscriber.Lost>(Wait);
        var second = await _nats.FishForMessageAsync<SubscribeRequested>(_ => true, Wait);
        second.Accept(_nats.Ref);
        await _target.ExpectMsgAsync<SubjectSubscriber.Active>(Wait);
    }

    [Fact]
    public async Task SubjectSubscriber_must_unsubscribe_when_its_supervisor_stops()
    {
        var supervisor = Sys.ActorOf(SubjectSubscriber.Supervised(Subject, _target.Ref, _gateway, Backoff));
        var subscribe = await _nats.ExpectMsgAsync<SubscribeRequested>(Wait);
        subscribe.Accept(_nats.Ref);
        await _target.ExpectMsgAsync<SubjectSubscriber.Active>(Wait);

        Sys.Stop(supervisor);

        Assert.Equal(new Unsubscribed(Subject), await _nats.ExpectMsgAsync<Unsubscribed>(Wait));
        await _nats.ExpectNoMsgAsync(Backoff.RestartBackoffMax);
    }
}
