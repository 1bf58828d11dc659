using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;

namespace Portal.Actors.Browser;

/// <summary>
/// Pushes to a session's current socket; while the session is held without one, pushes are skipped
/// (live broadcasts come back by replay on resume). The one way a refusal reaches a browser: an
/// <c>error</c> push plus the call's failure response. An answer goes only to the socket that asked:
/// once the session moved to another socket, a call still in flight is refused where it was asked.
/// </summary>
public static class BrowserPushExtensions
{
    public const string MovedMessage = "This session was resumed on another connection.";

    public static void Send(this IBrowserPush push, SocketRoute route, string eventName, object payload, object? second = null)
    {
        if (route.ConnectionId is { } connectionId)
        {
            push.Send(connectionId, eventName, payload, second);
        }
    }

    public static void Send(this IBrowserPush push, SocketRoute route, PreparedPush prepared)
    {
        if (route.ConnectionId is { } connectionId)
        {
            push.Send(connectionId, prepared);
        }
    }

    public static void Refuse(this IBrowserPush push, SocketRoute route, BrowserCall call, string code, string message) =>
        push.Refuse(route, new CallRejection(code, message, call.Method, call.RequestId), (call as TenantSelectCall)?.TenantId.Value);

    /// <summary>Refuses <paramref name="call"/> with the error of a failed service outcome.</summary>
    public static void Refuse(this IBrowserPush push, SocketRoute route, BrowserCall call, ServiceOutcome failed) =>
        push.Refuse(route, call, failed.ErrorCode!, failed.ErrorMessage!);

    public static void Refuse(this IBrowserPush push, SocketRoute route, CallRejection rejection, string? tenantId = null)
    {
        if (route.ConnectionId is { } connectionId)
        {
            push.Refuse(connectionId, rejection, tenantId);
        }
    }

    /// <summary>Refuses on one socket, whether or not a session is on it now.</summary>
    public static void Refuse(this IBrowserPush push, string connectionId, CallRejection rejection, string? tenantId = null)
    {
        push.Send(connectionId, EventNames.Error, new ErrorPush(rejection.Code, rejection.Message, rejection.RequestId, rejection.Method));
        if (FailureResponses.For(rejection.Method, rejection.Message, rejection.RequestId, tenantId ?? rejection.TenantId) is { } response)
        {
            push.Send(connectionId, EventNames.ResponseOf(rejection.Method), response);
        }
    }

    /// <summary>Answers <paramref name="call"/> with its <c>…:response</c> push.</summary>
    public static void Respond(this IBrowserPush push, SocketRoute route, BrowserCall call, object response) =>
        push.Send(route, EventNames.ResponseOf(call.Method), response);

    /// <summary>Answers a call asked on <paramref name="askedOn"/>, or refuses it there if the session has moved away.</summary>
    public static void Respond(this IBrowserPush push, SocketRoute route, string askedOn, BrowserCall call, object response)
    {
        if (route.Answers(askedOn))
        {
            push.Respond(route, call, response);
        }
        else
        {
            push.RefuseMoved(askedOn, call);
        }
    }

    /// <summary>Refuses a call asked on <paramref name="askedOn"/> with <paramref name="code"/>, or as moved away.</summary>
    public static void Refuse(this IBrowserPush push, SocketRoute route, string askedOn, BrowserCall call, string code, string message)
    {
        if (route.Answers(askedOn))
        {
            push.Refuse(route, call, code, message);
        }
        else
        {
            push.RefuseMoved(askedOn, call);
        }
    }

    public static void Refuse(this IBrowserPush push, SocketRoute route, string askedOn, BrowserCall call, ServiceOutcome failed) =>
        push.Refuse(route, askedOn, call, failed.ErrorCode!, failed.ErrorMessage!);

    /// <summary>The session left the socket that asked: the call is refused there, never answered on the new socket.</summary>
    public static void RefuseMoved(this IBrowserPush push, string askedOn, BrowserCall call) =>
        push.Refuse(askedOn, new CallRejection(ErrorCodes.Unauthenticated, MovedMessage, call.Method, call.RequestId), (call as TenantSelectCall)?.TenantId.Value);
}
