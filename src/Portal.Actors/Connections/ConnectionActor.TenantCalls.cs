using Akka.Actor;
using Akka.Event;
using Portal.Actors.Browser;
using Portal.Actors.Nats;
using Portal.Actors.Subscriptions;
using Portal.Actors.Tenants;
using Portal.Protocol;
using Portal.Protocol.Browser;
using Portal.Protocol.Ids;
using Portal.Protocol.Json;
using Portal.Protocol.Nats;

namespace Portal.Actors.Connections;

/// <summary>Tenant selection and switching, and the tenant-scoped calls: feeds and PHI reads.</summary>
public sealed partial class ConnectionActor
{
    private void Select(TenantSelectCall call)
    {
        if (call.TenantId == _tenant)
        {
            // Already selected: keep the feeds.
            Push.Respond(_route, call, new TenantSelectResponse(true, call.TenantId.Value, null, null, call.RequestId));
            return;
        }

        TenantsChild.Forward(new TenantActor.SelectTenant(call) { Trace = _callTrace });
    }

    private void SwitchTenant(TenantActor.TenantVerified verified)
    {
        var call = verified.Call;
        if (verified.TenantId == _tenant)
        {
            Push.Respond(_route, call, new TenantSelectResponse(true, call.TenantId.Value, verified.Tenant, null, call.RequestId));
            return;
        }

        // The old tenant's feeds stop completely before the new tenant is served.
        _generation++;
        _tenant = null;
        var feeds = _feeds.Values.ToList();
        _feeds.Clear();
        StopThen(feeds, () =>
        {
            _tenant = verified.TenantId;
            Become(Authenticated);
            Push.Respond(_route, call, new TenantSelectResponse(true, call.TenantId.Value, verified.Tenant, null, call.RequestId));
        });
    }

    private void StopThen(List<IActorRef> children, Action then)
    {
        foreach (var child in children)
        {
            Context.Stop(child);
            _stopping.Add(child);
        }

        if (_stopping.Count == 0)
        {
            then();
            return;
        }

        _afterStopping = then;
        Become(StoppingChildren);
    }

    /// <summary>A child stopped without being asked to: forget it, and tell the browser if a feed ended.</summary>
    private void Forget(IActorRef child)
    {
        _stopping.Remove(child);
        if (child.Equals(_tenants))
        {
            _tenants = null;
        }

        foreach (var feed in _feeds.Where(f => f.Value.Equals(child)).Select(f => f.Key).ToList())
        {
            _feeds.Remove(feed);
            var method = new SubscribeCall(feed).Method;
            _log.Warning("The {Feed} feed of {ConnectionId} stopped unexpectedly", feed, _route);
            Push.Refuse(_route, new CallRejection(ErrorCodes.Internal, "The live feed stopped; please subscribe again.", method, null));
        }
    }

    // ---- Tenant-scoped calls ----

    private void ServeTenantCall(BrowserCall call)
    {
        if (_tenant is not { } tenant)
        {
            Refuse(call, ErrorCodes.NoTenantSelected, "Select a tenant first.");
            return;
        }

        if (call.NamedTenant is { } named && named != tenant)
        {
            Refuse(call, ErrorCodes.Forbidden, "The call names a tenant other than the one selected.");
            return;
        }

        var session = _session!;
        switch (call)
        {
            case SubscribeCall subscribe:
                Subscribe(subscribe, tenant, session);
                break;
            case UnsubscribeCall unsubscribe:
                // Answered once the feed has stopped, so that none of its pushes follows the answer.
                List<IActorRef> stopping = _feeds.Remove(unsubscribe.Feed, out var feed) ? [feed] : [];
                StopThen(stopping, () =>
                {
                    Become(Authenticated);
                    Push.Respond(_route, call, new SuccessResponse(true, null, call.RequestId));
                });
                break;
            case PatientViewCall view:
                Read(call, tenant, session, Subjects.PatientGet, new PatientScopedRequest(tenant.Value, session.UserId, view.PatientId.Value),
                    AuditAccess.PatientResource, view.PatientId.Value);
                break;
            case ClaimsListCall list:
                Read(call, tenant, session, Subjects.ClaimsListForPatient, new PatientScopedRequest(tenant.Value, session.UserId, list.PatientId.Value),
                    AuditAccess.ClaimsResource, list.PatientId.Value);
                break;
            case ClaimGetCall get:
                Read(call, tenant, session, Subjects.ClaimsGet, new ClaimScopedRequest(tenant.Value, session.UserId, get.ClaimId.Value),
                    AuditAccess.ClaimResource, get.ClaimId.Value);
                break;
            case InsuranceListCall insurance:
                Read(call, tenant, session, Subjects.InsuranceListForPatient, new PatientScopedRequest(tenant.Value, session.UserId, insurance.PatientId.Value),
                    AuditAccess.InsuranceResource, insurance.PatientId.Value);
                break;
            case PatientAddCall add:
                Request(call, tenant, session, Subjects.PatientCreate, PortalJson.ToUtf8(new PatientCreateRequest(tenant.Value, session.UserId, add.Patient)));
                break;
            default:
                Refuse(call, ErrorCodes.Internal, "This call is not served here.");
                break;
        }
    }

    private void Subscribe(SubscribeCall call, TenantId tenant, Session session)
    {
        if (_feeds.TryGetValue(call.Feed, out var existing))
        {
            existing.Tell(new SubscriptionActor.Refresh(call.RequestId) { Trace = _callTrace });
            return;
        }

        var spec = new SubscriptionSpec(_route, call.Feed, tenant, session, call.RequestId) { Trace = _callTrace };
        var child = Context.ActorOf(_deps.Children.Subscription(spec), $"{call.Feed.ToString().ToLowerInvariant()}-{++_childNames}");
        Context.Watch(child);
        _feeds[call.Feed] = child;
    }

    /// <summary>A read of PHI: audited (PROTOCOL.md §2, htpi.audit.access), then requested.</summary>
    private void Read<TBody>(BrowserCall call, TenantId tenant, Session session, string subject, TBody body, string resource, string resourceId)
    {
        var audit = new AuditAccess(session.UserId, tenant.Value, resource, resourceId, DateTimeOffset.UtcNow);
        _ = Nats.PublishAsync(Subjects.AuditAccess, PortalJson.ToUtf8(audit));
        Request(call, tenant, session, subject, PortalJson.ToUtf8(body));
    }

    private void Request(BrowserCall call, TenantId tenant, Session session, string subject, byte[] body)
    {
        var generation = _generation;
        Nats.RequestAsync(subject, body, session.Headers, _deps.Settings.RequestTimeout)
            .PipeTo(Self, success: reply => new DataReply(call, generation, tenant, reply), failure: _ => new DataReply(call, generation, tenant, NatsReply.Unavailable));
    }

    private void Answer(DataReply reply)
    {
        var call = reply.Call;
        if (reply.Generation != _generation || reply.Tenant != _tenant)
        {
            // Never hand one tenant's answer to a socket that has moved on to another.
            Refuse(call, ErrorCodes.Forbidden, "The tenant changed before the answer arrived.");
            return;
        }

        var outcome = ServiceOutcome.From(reply.Reply);
        if (outcome.Failed)
        {
            Refuse(call, outcome);
            return;
        }

        object? response = call switch
        {
            PatientViewCall or PatientAddCall => Fetched(outcome, "patient") is { } patient
                ? new PatientResponse(patient.Ok, patient.Item, patient.Error, call.RequestId) : null,
            ClaimGetCall => Fetched(outcome, "claim") is { } claim
                ? new ClaimResponse(claim.Ok, claim.Item, claim.Error, call.RequestId) : null,
            ClaimsListCall => outcome.Array("claims") is { } claims ? new ClaimsListResponse(claims, null, call.RequestId) : null,
            InsuranceListCall => outcome.Array("insurance") is { } insurance ? new InsuranceListResponse(insurance, null, call.RequestId) : null,
            _ => null,
        };

        if (response is null)
        {
            Refuse(call, ServiceOutcome.Malformed($"an unexpected answer to {call.Method}"));
            return;
        }

        Push.Respond(_route, call, response);
    }

    /// <summary>Reads <c>{success, &lt;name&gt;}</c> or <c>{success: false, error}</c>; null when it is neither.</summary>
    private static (bool Ok, System.Text.Json.JsonElement? Item, string? Error)? Fetched(ServiceOutcome outcome, string name) =>
        (outcome.Bool("success"), outcome.Object(name)) switch
        {
            (true, { } item) => (true, item, null),
            (false, _) => (false, null, outcome.Text("error") ?? "The service refused the request."),
            _ => null,
        };
}
