using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.SignalR;
using Portal.Actors.Connections;
using Portal.Protocol;
using Portal.Protocol.Browser;

namespace Portal.Host.Hubs;

/// <summary>
/// The per-socket call limit, at the hub's door: every invocation of <see cref="PortalHub"/> takes a call from its
/// socket's bucket before the hub method runs: <c>auth:resume</c>, calls the hub refuses for their size or shape, and
/// unbindable ones (<see cref="PortalHub.RefuseMethod"/>) included, since a flood of bad calls is abuse too. A call
/// over the limit never reaches an actor: the socket's connection actor is told to refuse it with <c>rate_limited</c>,
/// the way the hub's own refusals go, so the refusal is in order with the socket's other pushes.
/// </summary>
public sealed class CallLimitFilter(SocketCallLimiter limiter, IRequiredActor<SessionManager.Key> sessionManager) : IHubFilter
{
    public const string Refusal = "Too many calls; slow down and try again in a moment.";

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var connectionId = invocation.Context.ConnectionId;
        if (limiter.TryCall(connectionId))
        {
            return next(invocation);
        }

        // Worded from the argument only here, for refused calls: an accepted call is parsed once, by the hub.
        var (method, args) = PortalHub.CallOf(invocation);
        var rejection = BrowserCallParser.Refusal(method, args, ErrorCodes.RateLimited, Refusal);
        sessionManager.ActorRef.Tell(new SessionManager.SocketRejected(connectionId, rejection));
        return ValueTask.FromResult<object?>(null);
    }
}
