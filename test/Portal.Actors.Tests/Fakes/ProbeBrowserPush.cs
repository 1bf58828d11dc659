using Akka.Actor;
using Portal.Actors.Browser;

namespace Portal.Actors.Tests.Fakes;

/// <summary>An <see cref="IBrowserPush"/> that tells a probe every push.</summary>
public sealed class ProbeBrowserPush(IActorRef probe) : IBrowserPush
{
    public sealed record Pushed(string ConnectionId, string EventName, object Payload, object? Second);

    public sealed record Closed(string ConnectionId);

    public void Send(string connectionId, string eventName, object payload, object? second = null) =>
        probe.Tell(new Pushed(connectionId, eventName, payload, second));

    public PreparedPush Prepare(string eventName, object payload, object? second = null) => new(eventName, payload, second);

    public void Send(string connectionId, PreparedPush push) => Send(connectionId, push.EventName, push.Payload, push.Second);

    public void Close(string connectionId) => probe.Tell(new Closed(connectionId));
}
