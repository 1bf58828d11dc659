using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using Portal.Actors.Mailboxes;
using Portal.Actors.Tests.Fakes;
using Xunit;

namespace Portal.Actors.Tests;

public sealed class CompactMessageQueueSpecs() : PortalSpec("akka.loglevel = WARNING\n" + CompactMailboxConfig.Hocon)
{
    [Fact]
    public void CompactMessageQueue_must_hand_out_messages_in_the_order_they_came()
    {
        var queue = new CompactMessageQueue();
        Assert.False(queue.HasMessages);

        for (var i = 0; i < 100; i++)
        {
            queue.Enqueue(TestActor, new Envelope(i, TestActor));
        }

        Assert.True(queue.HasMessages);
        Assert.Equal(100, queue.Count);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(queue.TryDequeue(out var envelope));
            Assert.Equal(i, envelope.Message);
        }

        Assert.False(queue.TryDequeue(out _));
        Assert.False(queue.HasMessages);
    }

    [Fact]
    public async Task CompactMessageQueue_must_keep_each_senders_order_and_lose_nothing_under_concurrent_senders()
    {
        const int senders = 4, perSender = 20_000;
        var queue = new CompactMessageQueue();
        var lastSeen = Enumerable.Repeat(-1, senders).ToArray();
        var received = 0;

        var producers = Enumerable.Range(0, senders).Select(s => Task.Run(() =>
        {
            for (var i = 0; i < perSender; i++)
            {
                queue.Enqueue(TestActor, new Envelope((s, i), TestActor));
            }
        })).ToArray();

        var consumer = Task.Run(() =>
        {
            while (received < senders * perSender)
            {
                if (!queue.TryDequeue(out var envelope))
                {
                    Thread.SpinWait(10);
                    continue;
                }

                var (sender, index) = ((int, int))envelope.Message;
                Assert.Equal(lastSeen[sender] + 1, index);
                lastSeen[sender] = index;
                received++;
            }
        });

        await Task.WhenAll(producers);
        await consumer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(lastSeen, last => Assert.Equal(perSender - 1, last));
        Assert.False(queue.HasMessages);
    }

    [Fact]
    public void CompactMessageQueue_must_pass_what_is_left_to_dead_letters_on_clean_up()
    {
        var queue = new CompactMessageQueue();
        var deadLetters = new UnboundedMessageQueue();
        queue.Enqueue(TestActor, new Envelope("a", TestActor));
        queue.Enqueue(TestActor, new Envelope("b", TestActor));

        queue.CleanUp(TestActor, deadLetters);

        Assert.Equal(2, deadLetters.Count);
        Assert.False(queue.HasMessages);
    }

    [Fact]
    public async Task Actors_with_a_stash_must_get_the_compact_deque_mailbox_and_keep_stashed_order()
    {
        var actor = Sys.ActorOf(Props.Create(() => new StashUntilOpen()));
        actor.Tell(1);
        actor.Tell(2);
        actor.Tell("open");
        actor.Tell(3);

        Assert.Equal(1, await ExpectMsgAsync<int>());
        Assert.Equal(2, await ExpectMsgAsync<int>());
        Assert.Equal(3, await ExpectMsgAsync<int>());
        var cell = Assert.IsType<ActorCell>(((ActorRefWithCell)actor).Underlying);
        Assert.IsType<CompactDequeMessageQueue>(cell.Mailbox!.MessageQueue);
    }

    private sealed class StashUntilOpen : ReceiveActor, IWithStash
    {
        public StashUntilOpen()
        {
            Receive<int>(_ => Stash.Stash());
            Receive<string>(_ =>
            {
                Become(() => ReceiveAny(message => Sender.Tell(message)));
                Stash.UnstashAll();
            });
        }

        public IStash Stash { get; set; } = null!;
    }
}
