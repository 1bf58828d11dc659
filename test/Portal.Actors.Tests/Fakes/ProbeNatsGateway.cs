using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Portal.Actors.Nats;

namespace Portal.Actors.Tests.Fakes;

/// <summary>
/// An <see cref="INatsGateway"/> that tells a probe about every call and lets the test answer:
/// requests and subscribes complete when the test completes their <see cref="TaskCompletionSource{T}"/>.
/// Publishes and requests record the trace context current when they were made (<c>Trace</c>): the
/// context NATS.Net would put in the message's <c>traceparent</c> header.
/// </summary>
public sealed class ProbeNatsGateway(IActorRef probe) : INatsGateway
{
    public sealed record Published(string Subject, JsonElement Body, NatsRequestHeaders? Headers, string? ReplyTo)
    {
        public ActivityContext Trace { get; init; }
    }

    public sealed record Requested(string Subject, JsonElement Body, NatsRequestHeaders? Headers, TaskCompletionSource<NatsReply> Reply)
    {
        public ActivityContext Trace { get; init; }

        public void Answer(string json) => Reply.SetResult(NatsReply.Ok(System.Text.Encoding.UTF8.GetBytes(json)));
    }

    public sealed record SubscribeRequested(
        string Subject,
        Action<NatsInbound> OnMessage,
        Action<Exception?> OnEnded,
        TaskCompletionSource<IAsyncDisposable> Result)
    {
        /// <summary>Completes the subscribe; the returned handle tells the probe when it is disposed.</summary>
        public void Accept(IActorRef probe) => Result.SetResult(new Handle(Subject, probe));

        public void Deliver(string json, string? subject = null) =>
            OnMessage(new NatsInbound(subject ?? Subject, System.Text.Encoding.UTF8.GetBytes(json)));
    }

    public sealed record Unsubscribed(string Subject);

    private sealed class Handle(string subject, IActorRef probe) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            probe.Tell(new Unsubscribed(subject));
            return ValueTask.CompletedTask;
        }
    }

    private readonly ConcurrentDictionary<string, int> _subscribes = new();
    private volatile NatsLink _link = NatsLink.Up;

    public NatsLink Link => _link;

    public event Action<NatsLink>? LinkChanged;

    /// <summary>When false, publishes report "link down" as the real gateway does.</summary>
    public bool PublishSucceeds { get; set; } = true;

    public int SubscribeCount(string subject) => _subscribes.GetValueOrDefault(subject);

    public void SetLink(NatsLink link)
    {
        _link = link;
        LinkChanged?.Invoke(link);
    }

    public Task<bool> PublishAsync(string subject, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers = null, string? replyTo = null)
    {
        probe.Tell(new Published(subject, Parse(body), headers, replyTo) { Trace = CurrentTrace });
        return Task.FromResult(PublishSucceeds && _link == NatsLink.Up);
    }

    public Task<NatsReply> RequestAsync(string subject, ReadOnlyMemory<byte> body, NatsRequestHeaders? headers, TimeSpan timeout)
    {
        var reply = new TaskCompletionSource<NatsReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Tell(new Requested(subject, Parse(body), headers, reply) { Trace = CurrentTrace });
        return reply.Task;
    }

    public Task<IAsyncDisposable> SubscribeAsync(string subject, Action<NatsInbound> onMessage, Action<Exception?> onEnded)
    {
        _subscribes.AddOrUpdate(subject, 1, (_, n) => n + 1);
        var result = new TaskCompletionSource<IAsyncDisposable>(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Tell(new SubscribeRequested(subject, onMessage, onEnded, result));
        return result.Task;
    }

    private static ActivityContext CurrentTrace => Activity.Current?.Context ?? default;

    private static JsonElement Parse(ReadOnlyMemory<byte> body) => JsonDocument.Parse(body).RootElement.Clone();
}
