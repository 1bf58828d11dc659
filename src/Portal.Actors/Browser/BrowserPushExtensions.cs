using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;

namespace Portal.Actors.Browser;

/// <summary>
/// Pushes to a session's current socket; while the session is held without one, pushes are skipped
/// (live broadcasts come back by replay on resume). The one way a refusal reaches a browser: an
/// <c>error</c> push plus the call's failure response.
/// </summary>
public static class BrowserPushExtensions
{
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
        push.Refuse(route, CallRejection.Of(call, code, message));

    /// <summary>Refuses <paramref name="call"/> with the error of a failed service outcome.</summary>
    public static void Refuse(this IBrowserPush push, SocketRoute route, BrowserCall call, ServiceOutcome failed) =>
        push.Refuse(route, call, failed.ErrorCode!, failed.ErrorMessage!);

    public static void Refuse(this IBrowserPush push, SocketRoute route, CallRejection rejection)
    {
        push.Send(route, EventNames.Error, new ErrorPush(rejection.Code, rejection.Message, rejection.RequestId, rejection.Method));
        if (FailureResponses.For(rejection.Method, rejection.Message, rejection.RequestId, rejection.TenantId) is { } response)
        {
            push.Send(route, EventNames.ResponseOf(rejection.Method), response);
        }
    }

    /// <summary>Answers <paramref name="call"/> with its <c>…:response</c> push.</summary>
    public static void Respond(this IBrowserPush push, SocketRoute route, BrowserCall call, object response) =>
        push.Send(route, EventNames.ResponseOf(call.Method), response);
}
