using System.Diagnostics;
using System.Text.Json;
using Akka.Actor;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;
using static Portal.Actors.Nats.ClientReplyRouter;

namespace Portal.Actors.Tenants;

/// <summary>
/// The tenant flows of one logged-in socket: lists the tenants granted to the user (answer on the
/// socket's <c>customer.tenants.response.&lt;clientId&gt;</c>) and verifies access before a select.
/// It tells its parent <see cref="TenantVerified"/> only after <c>hasAccess: true</c>; the parent
/// switches tenant and answers the browser. Selects are verified one at a time, in order.
/// Each request is made in a span under the trace context the call's message carries.
/// </summary>
public sealed class TenantActor : ReceiveActor, IWithStash, IWithTimers
{
    /// <summary>
    /// The service granted the user <see cref="TenantId"/>; <see cref="Tenant"/> is its listed details, if
    /// known. <see cref="AskedOn"/> is the socket the select came from: only it may be answered.
    /// </summary>
    public sealed record TenantVerified(TenantId TenantId, JsonElement? Tenant, TenantSelectCall Call, string AskedOn);

    /// <summary>The browser asked on <see cref="AskedOn"/> for its tenants; <see cref="Trace"/> is the call's trace context.</summary>
    public sealed record ListTenants(TenantsListCall Call, string AskedOn)
    {
        public ActivityContext Trace { get; init; }
    }

    /// <summary>The browser asked on <see cref="AskedOn"/> to select a tenant; <see cref="Trace"/> is the call's trace context.</summary>
    public sealed record SelectTenant(TenantSelectCall Call, string AskedOn)
    {
        public ActivityContext Trace { get; init; }
    }

    private sealed record ListPublished(bool Sent);

    private sealed record ListTimedOut
    {
        public static readonly ListTimedOut Instance = new();
    }

    private sealed record AccessChecked(SelectTenant Select, NatsReply Reply);

    private readonly List<ListTenants> _waitingForList = [];
    private readonly TenantSpec _spec;
    private readonly INatsGateway _nats;
    private readonly IBrowserPush _push;
    private readonly PortalActorSettings _settings;
    private JsonElement? _lastList;

    public TenantActor(TenantSpec spec, INatsGateway nats, IBrowserPush push, PortalActorSettings settings)
    {
        _spec = spec;
        _nats = nats;
        _push = push;
        _settings = settings;
        Ready();
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TenantSpec spec, INatsGateway nats, IBrowserPush push, PortalActorSettings settings) =>
        Akka.Actor.Props.Create(() => new TenantActor(spec, nats, push, settings));

    private void Ready()
    {
        Receive<SelectTenant>(select =>
        {
            var call = select.Call;
            var body = PortalJson.ToUtf8(new TenantAccessRequest(_spec.Session.UserId, call.TenantId.Value));
            using var span = PortalTracing.StartUnder(PortalTracing.TenantVerify, select.Trace);
            _nats.RequestAsync(Subjects.TenantVerifyAccess, body, _spec.Session.Headers, _settings.RequestTimeout)
                .PipeTo(Self, success: reply => new AccessChecked(select, reply), failure: _ => new AccessChecked(select, NatsReply.Unavailable));
            Become(Verifying);
        });

        // Only after a restart: the verify the previous incarnation asked for still answers its call.
        Receive<AccessChecked>(Conclude);
        Listing();
    }

    private void Verifying()
    {
        Receive<AccessChecked>(checkedAccess =>
        {
            Conclude(checkedAccess);
            Become(Ready);
            Stash.UnstashAll();
        });
        Receive<SelectTenant>(_ => Stash.Stash());
        Listing();
    }

    /// <summary>Listing goes on in every state; calls that arrive while one list is out share its answer.</summary>
    private void Listing()
    {
        Receive<ListTenants>(list =>
        {
            var call = list.Call;
            _waitingForList.Add(list);
            if (_waitingForList.Count > 1)
            {
                // Shares the answer of the list already asked for (and that list's trace).
                return;
            }

            var requestId = call.RequestId ?? Guid.NewGuid().ToString("N");
            var body = PortalJson.ToUtf8(new TenantListRequest(
                _spec.Session.UserId, _spec.Session.User.Email, _spec.ClientId.Value, "customer", requestId));

            // The reply subject doubles as the reply-to, so that NATS answers "no responders" there at once.
            using var span = PortalTracing.StartUnder(PortalTracing.TenantList, list.Trace);
            _nats.PublishAsync(Subjects.TenantListForUser, body, _spec.Session.Headers, Subjects.TenantsResponse(_spec.ClientId))
                .PipeTo(Self, success: sent => new ListPublished(sent), failure: _ => new ListPublished(false));
            Timers.StartSingleTimer(ListTimedOut.Instance, ListTimedOut.Instance, _settings.RequestTimeout);
        });
        Receive<ListPublished>(published =>
        {
            if (!published.Sent)
            {
                AnswerWaitingLists(ServiceOutcome.From(NatsReply.Unavailable));
            }
        });
        Receive<ListTimedOut>(_ => AnswerWaitingLists(ServiceOutcome.From(NatsReply.TimedOut)));
        Receive<ClientReply>(reply => reply.Kind == ClientReplyKind.Tenants, reply =>
            AnswerWaitingLists(reply.NoResponders ? ServiceOutcome.From(NatsReply.NoResponders) : ServiceOutcome.From(NatsReply.Ok(reply.Body))));

        // A login's answer belongs to the connection, which never forwards one here: not a tenant list.
        Receive<ClientReply>(_ => { });
    }

    private void AnswerWaitingLists(ServiceOutcome outcome)
    {
        // A late answer after a timeout finds nobody waiting and is dropped.
        Timers.Cancel(ListTimedOut.Instance);
        if (!outcome.Failed && outcome.Bool("success") == false)
        {
            outcome = ServiceOutcome.Malformed("the tenant service refused the list: " + (outcome.Text("error") ?? "no reason given"));
        }
        else if (!outcome.Failed && outcome.Array("tenants") is null)
        {
            outcome = ServiceOutcome.Malformed("no tenant list");
        }

        foreach (var (call, askedOn) in _waitingForList)
        {
            if (outcome.Failed)
            {
                _push.Refuse(_spec.Route, askedOn, call, outcome);
            }
            else
            {
                _lastList = outcome.Array("tenants");
                _push.Respond(_spec.Route, askedOn, call, new TenantsListResponse(_lastList!.Value, null, call.RequestId));
            }
        }

        _waitingForList.Clear();
    }

    private void Conclude(AccessChecked checkedAccess)
    {
        var (call, askedOn) = checkedAccess.Select;
        var outcome = ServiceOutcome.From(checkedAccess.Reply);
        if (outcome.Failed)
        {
            _push.Refuse(_spec.Route, askedOn, call, outcome);
            return;
        }

        switch (TenantAccess.Granted(outcome, call.TenantId))
        {
            case true:
                Context.Parent.Tell(new TenantVerified(call.TenantId, FindListed(call.TenantId), call, askedOn));
                break;
            case false:
                _push.Refuse(_spec.Route, askedOn, call, ErrorCodes.Forbidden, "You do not have access to this tenant.");
                break;
            default:
                _push.Refuse(_spec.Route, askedOn, call, ServiceOutcome.Malformed("no hasAccess for this tenant"));
                break;
        }
    }

    private JsonElement? FindListed(TenantId tenantId)
    {
        if (_lastList is not { } list)
        {
            return null;
        }

        foreach (var tenant in list.EnumerateArray())
        {
            if (tenant.ValueKind == JsonValueKind.Object && tenant.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String && id.ValueEquals(tenantId.Value))
            {
                return tenant;
            }
        }

        return null;
    }
}
