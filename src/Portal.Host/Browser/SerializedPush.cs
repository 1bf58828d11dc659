using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Portal.Actors.Browser;

namespace Portal.Host.Browser;

/// <summary>
/// A prepared push encoded once per hub protocol when it is made. Every socket gets its own small
/// <see cref="SerializedHubMessage"/> over these shared bytes: one shared instance would be encoded
/// once too, but SignalR locks it on every write, and thousands of writes from several threads
/// fought over that one lock.
/// </summary>
internal sealed class SerializedPush : PreparedPush
{
    private readonly SerializedMessage[] _encoded;

    public SerializedPush(string eventName, object payload, object? second, IReadOnlyList<IHubProtocol> protocols)
        : base(eventName, payload, second)
    {
        var invocation = Invocation(eventName, payload, second);
        _encoded = protocols.Select(protocol => new SerializedMessage(protocol.Name, protocol.GetMessageBytes(invocation))).ToArray();
    }

    /// <summary>The push as SignalR invokes it in the browser: one argument, or two for live pushes.</summary>
    public static InvocationMessage Invocation(string eventName, object payload, object? second) =>
        new(eventName, second is null ? [payload] : [payload, second]);

    public SerializedHubMessage ForOneSocket() => new(_encoded);
}
