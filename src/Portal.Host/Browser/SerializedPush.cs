using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Portal.Actors.Browser;

namespace Portal.Host.Browser;

/// <summary>
/// A prepared push as SignalR writes it: <see cref="SerializedHubMessage"/> encodes the invocation on
/// first write per hub protocol and hands every later socket the same bytes.
/// </summary>
internal sealed class SerializedPush(string eventName, object payload, object? second)
    : PreparedPush(eventName, payload, second)
{
    public SerializedHubMessage Message { get; } = new(new InvocationMessage(eventName, second is null ? [payload] : [payload, second]));
}
