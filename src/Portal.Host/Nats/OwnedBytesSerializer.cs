using System.Buffers;
using NATS.Client.Core;

namespace Portal.Host.Nats;

/// <summary>
/// Raw bytes both ways. Reading copies the payload out of NATS.Net's receive buffer, so a body
/// handed to an actor stays valid after the next message arrives, whatever the default
/// serializer does with pooled memory.
/// </summary>
internal sealed class OwnedBytesSerializer : INatsSerializer<ReadOnlyMemory<byte>>
{
    public static readonly OwnedBytesSerializer Instance = new();

    public void Serialize(IBufferWriter<byte> bufferWriter, ReadOnlyMemory<byte> value) => bufferWriter.Write(value.Span);

    public ReadOnlyMemory<byte> Deserialize(in ReadOnlySequence<byte> buffer) =>
        buffer.IsEmpty ? ReadOnlyMemory<byte>.Empty : buffer.ToArray();

    public INatsSerializer<ReadOnlyMemory<byte>> CombineWith(INatsSerializer<ReadOnlyMemory<byte>> next) => this;
}
