using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Portal.Host.Hubs;

/// <summary>
/// A hub protocol (JSON or MessagePack), except that an invocation SignalR cannot bind (an unknown method, or a known
/// one with other than one argument) becomes a call of <see cref="PortalHub.RefuseMethod"/> instead of
/// SignalR's own completion error, so the browser gets the portal's <c>error {code: invalid_argument}</c>
/// like any other refusal, in order with its other pushes.
/// </summary>
internal sealed class RefusingHubProtocol(IHubProtocol inner) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (!inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        if (message is InvocationBindingFailureMessage failure && failure.Target != PortalHub.RefuseMethod)
        {
            message = new InvocationMessage(failure.InvocationId, PortalHub.RefuseMethod, [failure.Target]);
        }

        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
}
