using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Portal.Actors.Tests.Fakes;
using Xunit.Sdk;
using static Portal.Actors.Tests.Fakes.SpecData;

namespace Portal.Actors.Tests;

public sealed class UnhandledMessagesSpecs() : PortalSpec("akka.loglevel = INFO\n" + UnhandledMessages.Hocon)
{
    private const string Phi = "Jane Doe, born 1970-01-01";

    [Fact]
    public async Task UnhandledMessages_must_log_the_type_and_the_actors_path_of_an_unhandled_message_never_its_content()
    {
        var logs = CreateTestProbe("logs");
        Sys.EventStream.Subscribe(logs.Ref, typeof(Warning));
        Sys.StartUnhandledMessages("unhandled");
        var deaf = Sys.ActorOf(Props.Create(() => new DeafActor()), "deaf");

        deaf.Tell(new PatientNote(Phi));

        await ExpectUnhandledAsync<PatientNote>(deaf);
        var line = (await logs.ExpectMsgAsync<Warning>(Wait)).Message.ToString()!;
        Assert.Contains(typeof(PatientNote).FullName!, line);
        Assert.Contains(deaf.Path.ToString(), line);
        Assert.DoesNotContain("Jane", line);
    }

    [Fact]
    public async Task UnhandledMessages_must_count_each_unhandled_message_and_no_dead_letter()
    {
        var logs = CreateTestProbe("logs");
        Sys.EventStream.Subscribe(logs.Ref, typeof(Warning));
        var listener = Sys.StartUnhandledMessages("unhandled");
        var deaf = Sys.ActorOf(Props.Create(() => new DeafActor()), "deaf");
        Assert.Equal(new UnhandledMessages.Count(0), await listener.Ask<UnhandledMessages.Count>(UnhandledMessages.GetCount.Instance, Wait));

        deaf.Tell(new PatientNote(Phi));
        deaf.Tell(new PatientNote(Phi));
        await ExpectUnhandledAsync<PatientNote>(deaf);
        await ExpectUnhandledAsync<PatientNote>(deaf);
        Sys.DeadLetters.Tell(new PatientNote(Phi));

        // The listener counts before it logs: two warnings, then the count.
        await logs.ExpectMsgAsync<Warning>(Wait);
        await logs.ExpectMsgAsync<Warning>(Wait);
        Assert.Equal(new UnhandledMessages.Count(2), await listener.Ask<UnhandledMessages.Count>(UnhandledMessages.GetCount.Instance, Wait));
    }

    [Fact]
    public void UnhandledMessages_must_turn_off_Akkas_dead_letter_logger_which_prints_the_content()
    {
        // Akka's DeadLetterListener appends "Message content: ..." to every unhandled message it logs.
        Assert.Equal(0, Sys.Settings.LogDeadLetters);
    }

    [Fact]
    public async Task PortalSpec_must_fail_a_spec_that_left_a_message_unhandled_naming_its_type_and_the_actor()
    {
        var spec = new BareSpec();
        var deaf = spec.Sys.ActorOf(Props.Create(() => new DeafActor()), "deaf");
        await spec.Watching(deaf, () => deaf.Tell(new PatientNote(Phi)));

        var failure = Assert.Throws<XunitException>(spec.Dispose);
        Assert.Contains(typeof(PatientNote).FullName!, failure.Message);
        Assert.Contains(deaf.Path.ToString(), failure.Message);
        Assert.DoesNotContain("Jane", failure.Message);
    }

    [Fact]
    public void PortalSpec_must_pass_a_spec_that_left_nothing_unhandled()
    {
        var spec = new BareSpec();
        spec.Sys.ActorOf(Props.Create(() => new DeafActor()), "deaf");

        spec.Dispose();
    }

    private sealed record PatientNote(string Name);

    private sealed class DeafActor : ReceiveActor;

    /// <summary>A spec of its own, to see what its end does.</summary>
    private sealed class BareSpec : PortalSpec
    {
        /// <summary>Runs <paramref name="act"/>, then waits until <paramref name="actor"/> has handled what it was told (it answers an Identify after it).</summary>
        public async Task Watching(IActorRef actor, Action act)
        {
            act();
            await actor.Ask<ActorIdentity>(new Identify(null), Wait);
        }
    }
}
