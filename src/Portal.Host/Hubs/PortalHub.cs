using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.SignalR;
using Portal.Actors.Connections;
using Portal.Host.Browser;
using Portal.Protocol;
using Portal.Protocol.Browser;

namespace Portal.Host.Hubs;

/// <summary>
/// The browser's door, at <c>/hubs/portal</c>. Stateless: each call, once <see cref="CallLimitFilter"/> has charged
/// it to its socket's bucket, is checked for size and shape, told to the session manager and forgotten; every
/// answer comes back as a push through <see cref="HubBrowserPush"/>. A plain <see cref="Hub"/> because the push
/// names contain colons.
/// </summary>
public sealed class PortalHub(IRequiredActor<SessionManager.Key> sessionManager) : Hub
{
    public const string Path = "/hubs/portal";

    // The socket's outbox is made and dropped around these by PortalHubLifetimeManager.
    public override Task OnConnectedAsync()
    {
        sessionManager.ActorRef.Tell(new SessionManager.SocketConnected(Context.ConnectionId));
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessionManager.ActorRef.Tell(new SessionManager.SocketDisconnected(Context.ConnectionId));
        return Task.CompletedTask;
    }

    [HubMethodName(EventNames.AuthLogin)]
    public Task AuthLogin(JsonElement args) => Forward(EventNames.AuthLogin, args);

    [HubMethodName(EventNames.AuthResume)]
    public Task AuthResume(JsonElement args) => Forward(EventNames.AuthResume, args);

    [HubMethodName(EventNames.AuthLogout)]
    public Task AuthLogout(JsonElement args) => Forward(EventNames.AuthLogout, args);

    [HubMethodName(EventNames.TenantsList)]
    public Task TenantsList(JsonElement args) => Forward(EventNames.TenantsList, args);

    [HubMethodName(EventNames.TenantSelect)]
    public Task TenantSelect(JsonElement args) => Forward(EventNames.TenantSelect, args);

    [HubMethodName(EventNames.DashboardSubscribe)]
    public Task DashboardSubscribe(JsonElement args) => Forward(EventNames.DashboardSubscribe, args);

    [HubMethodName(EventNames.DashboardUnsubscribe)]
    public Task DashboardUnsubscribe(JsonElement args) => Forward(EventNames.DashboardUnsubscribe, args);

    [HubMethodName(EventNames.PatientsSubscribe)]
    public Task PatientsSubscribe(JsonElement args) => Forward(EventNames.PatientsSubscribe, args);

    [HubMethodName(EventNames.PatientsUnsubscribe)]
    public Task PatientsUnsubscribe(JsonElement args) => Forward(EventNames.PatientsUnsubscribe, args);

    [HubMethodName(EventNames.PatientsView)]
    public Task PatientsView(JsonElement args) => Forward(EventNames.PatientsView, args);

    [HubMethodName(EventNames.PatientsAdd)]
    public Task PatientsAdd(JsonElement args) => Forward(EventNames.PatientsAdd, args);

    [HubMethodName(EventNames.ClaimsList)]
    public Task ClaimsList(JsonElement args) => Forward(EventNames.ClaimsList, args);

    [HubMethodName(EventNames.ClaimsGet)]
    public Task ClaimsGet(JsonElement args) => Forward(EventNames.ClaimsGet, args);

    [HubMethodName(EventNames.ClaimsSubscribe)]
    public Task ClaimsSubscribe(JsonElement args) => Forward(EventNames.ClaimsSubscribe, args);

    [HubMethodName(EventNames.ClaimsUnsubscribe)]
    public Task ClaimsUnsubscribe(JsonElement args) => Forward(EventNames.ClaimsUnsubscribe, args);

    [HubMethodName(EventNames.InsuranceList)]
    public Task InsuranceList(JsonElement args) => Forward(EventNames.InsuranceList, args);

    /// <summary>Where <see cref="RefusingHubProtocol"/> sends invocations SignalR could not bind.</summary>
    public const string RefuseMethod = "portal:refuse";

    /// <summary>An unknown method, or a known one called with other than one argument: <c>invalid_argument</c>.</summary>
    [HubMethodName(RefuseMethod)]
    public Task Refuse(string target)
    {
        // The parser words the refusal (it knows the methods and keeps the name printable).
        var rejection = BrowserCallParser.TryParse(target, default, out _, out var unknown)
            ? new CallRejection(ErrorCodes.InvalidArgument, "The call takes exactly one object argument.", target, null)
            : unknown!;
        sessionManager.ActorRef.Tell(new SessionManager.SocketRejected(Context.ConnectionId, rejection));
        return Task.CompletedTask;
    }

    /// <summary>
    /// The browser call an invocation of this hub stands for, as <see cref="BrowserCallParser"/> takes it: the method
    /// and its argument. An unbindable call (<see cref="RefuseMethod"/>) stands for the method it named, without argument.
    /// </summary>
    internal static (string Method, JsonElement Args) CallOf(HubInvocationContext invocation) =>
        invocation.HubMethodName == nameof(Refuse)
            ? (invocation.HubMethodArguments[0] as string ?? "", default)
            : (BrowserNames[invocation.HubMethodName], invocation.HubMethodArguments[0] is JsonElement args ? args : default);

    // SignalR names an invocation by its C# method; the browser knows it by its [HubMethodName].
    private static readonly FrozenDictionary<string, string> BrowserNames = typeof(PortalHub).GetMethods()
        .Select(m => (Method: m.Name, Browser: m.GetCustomAttribute<HubMethodNameAttribute>()?.Name))
        .Where(m => m.Browser is not null)
        .ToFrozenDictionary(m => m.Method, m => m.Browser!, StringComparer.Ordinal);

    private Task Forward(string method, JsonElement args)
    {
        var connectionId = Context.ConnectionId;
        SessionManager.ISocketMessage message;

        // The frame limit is 1 MiB so an oversized argument gets a polite refusal, not a closed socket.
        var size = args.ValueKind == JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(args).Length;
        if (size > BrowserCallParser.MaxArgumentBytes)
        {
            message = new SessionManager.SocketRejected(connectionId, BrowserCallParser.TooLarge(method, size));
        }
        else if (BrowserCallParser.TryParse(method, args, out var call, out var rejection))
        {
            message = new SessionManager.SocketCall(connectionId, call!) { Trace = System.Diagnostics.Activity.Current?.Context ?? default };
        }
        else
        {
            message = new SessionManager.SocketRejected(connectionId, rejection!);
        }

        sessionManager.ActorRef.Tell(message);
        return Task.CompletedTask;
    }
}
