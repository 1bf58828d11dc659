using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Portal.Actors.Tests.Fakes;

/// <summary>
/// The TestKit of the actor specs: a message that any actor of the spec's system left unhandled fails
/// the spec when it ends, named by its type and the actor's path (the rule the node's
/// <see cref="UnhandledMessages"/> logs and counts). A spec that leaves one on purpose takes it with
/// <see cref="ExpectUnhandledAsync{T}"/>.
/// </summary>
public abstract class PortalSpec : TestKit
{
    private readonly TestProbe _unhandled;

    protected PortalSpec(string config = "", ITestOutputHelper? output = null)
        : base(config, output)
    {
        // The probe runs on the calling thread: an unhandled message is recorded as it is published.
        _unhandled = CreateTestProbe("unhandled-messages");
        Sys.EventStream.Subscribe(_unhandled.Ref, typeof(UnhandledMessage));
    }

    /// <summary>Takes the next unhandled message, which must be a <typeparamref name="T"/> left by <paramref name="recipient"/>.</summary>
    protected async Task<UnhandledMessage> ExpectUnhandledAsync<T>(IActorRef recipient)
    {
        var unhandled = await _unhandled.ExpectMsgAsync<UnhandledMessage>(SpecData.Wait);
        Assert.True(
            unhandled.Message is T && unhandled.Recipient.Equals(recipient),
            $"expected a {typeof(T).Name} left unhandled by {recipient.Path}, got {Describe(unhandled)}");
        return unhandled;
    }

    protected override void AfterAll()
    {
        var left = new List<UnhandledMessage>();
        while (_unhandled.HasMessages && _unhandled.ReceiveOne(TimeSpan.Zero) is UnhandledMessage unhandled)
        {
            left.Add(unhandled);
        }

        base.AfterAll();
        if (left.Count > 0)
        {
            throw new XunitException($"{left.Count} message(s) left unhandled: {string.Join("; ", left.Select(Describe))}");
        }
    }

    private static string Describe(UnhandledMessage unhandled) => $"{UnhandledMessages.TypeOf(unhandled)} at {unhandled.Recipient.Path}";
}
