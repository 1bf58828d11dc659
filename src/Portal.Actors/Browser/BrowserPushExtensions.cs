using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;

namespace Portal.Actors.Browser;

/// <summary>The one way a refusal reaches a browser: an <c>error</c> push plus the call's failure response.</summary>
public static class BrowserPushExtensions
{
    public static void Refuse(this IBrowserPush push, string connectionId, BrowserCall call, string code, string message) =>
        push.Refuse(connectionId, new CallRejection(code, message, call.Method, call.RequestId), (call as TenantSelectCall)?.TenantId.Value);

    /// <summary>Refuses <paramref name="call"/> with the error of a failed service outcome.</summary>
    public static void Refuse(this IBrowserPush push, string connectionId, BrowserCall call, ServiceOutcome failed) =>
        push.Refuse(connectionId, call, failed.ErrorCode!, failed.ErrorMessage!);

    public static void Refuse(this IBrowserPush push, string connectionId, CallRejection rejection, string? tenantId = null)
    {
        push.Send(connectionId, EventNames.Error, new ErrorPush(rejection.Code, rejection.Message, rejection.RequestId, rejection.Method));
        if (FailureResponses.For(rejection.Method, rejection.Message, rejection.RequestId, tenantId) is { } response)
        {
            push.Send(connectionId, EventNames.ResponseOf(rejection.Method), response);
        }
    }

    /// <summary>Answers <paramref name="call"/> with its <c>…:response</c> push.</summary>
    public static void Respond(this IBrowserPush push, string connectionId, BrowserCall call, object response) =>
        push.Send(connectionId, EventNames.ResponseOf(call.Method), response);
}
