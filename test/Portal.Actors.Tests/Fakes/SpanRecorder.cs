using System.Collections.Concurrent;
using System.Diagnostics;

namespace Portal.Actors.Tests.Fakes;

/// <summary>
/// Listens to the actors' <see cref="PortalTracing.Source"/> (as the host's OpenTelemetry does when
/// tracing is on) and keeps every span that ended. Listeners are process-wide: find spans by trace id.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PortalTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The context a browser call would carry in from the hub: a fresh trace, sampled.</summary>
    public static ActivityContext NewCallContext() =>
        new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => _stopped.Where(a => a.TraceId == traceId).ToList();

    /// <summary>The span that ended with this id (actors end it right after the request is sent).</summary>
    public async Task<Activity> Span(ActivitySpanId spanId)
    {
        for (var i = 0; i < 50; i++)
        {
            if (_stopped.FirstOrDefault(a => a.SpanId == spanId) is { } found)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"No span {spanId} ended.");
    }

    /// <summary>The span that ended as <paramref name="made"/>, after checking it is a child of <paramref name="parent"/> in its trace.</summary>
    public async Task<Activity> ChildOf(ActivityContext made, ActivityContext parent)
    {
        Xunit.Assert.Equal(parent.TraceId, made.TraceId);
        var span = await Span(made.SpanId);
        Xunit.Assert.Equal(parent.SpanId, span.ParentSpanId);
        return span;
    }

    public void Dispose() => _listener.Dispose();
}
