using Akka.Actor;
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

/// <summary>Tenant selection and switching, and the tenant-scoped calls: feeds, PHI reads and adding a patient.</summary>
public sealed partial class ConnectionActor
{
    private void Select(TenantSelectCall call, string askedOn)
    {
        if (call.TenantId == _tenant)
        {
            // Already selected: keep the feeds.
            Push.Respond(_route, call, new TenantSelectResponse(true, call.TenantId.Value, null, null, call.RequestId));
            return;
        }

        TenantsChild.Tell(new TenantActor.SelectTenant(call, askedOn) { Trace = _callTrace });
    }

    /// <summary>The tenant child verified a select: the old tenant's feeds stop first (→ StoppingChildren), unless nothing changes.</summary>
    private void Verified(TenantActor.TenantVerified verified)
    {
        if (!_route.Answers(verified.AskedOn))
        {
            // Asked on a socket the session has left since: the new socket was told the tenant it had.
            Push.RefuseMoved(verified.AskedOn, verified.Call);
            return;
        }

        if (verified.TenantId == _tenant)
        {
            SelectVerified(verified);
            return;
        }

        _generation++;
        _tenant = null;
        StopChildren(_feeds.RemoveAll(), CancelOnTenantChange, new AfterStop.SwitchTenant(verified));
    }

    private void SelectVerified(TenantActor.TenantVerified verified)
    {
        var call = verified.Call;
        _tenant = verified.TenantId;
        Push.Respond(_route, call, new TenantSelectResponse(true, call.TenantId.Value, verified.Tenant, null, call.RequestId));
    }

    /// <summary>Answered once the feed has stopped (→ StoppingChildren), so that none of its pushes follows the answer.</summary>
    private void Unsubscribe(UnsubscribeCall call)
    {
        if (TenantOf(call) is null)
        {
            return;
        }

        Timers.Cancel(("restart", call.Feed));
        List<IActorRef> stopping = _feeds.Remove(call.Feed) is { } child ? [child] : [];
        StopChildren(stopping, CancelOnUnsubscribe, new AfterStop.Unsubscribed(call));
    }

    /// <summary>The selected tenant, when the call may be served for it; otherwise the call is refused and null returned.</summary>
    private TenantId? TenantOf(BrowserCall call)
    {
        if (_tenant is not { } tenant)
        {
            Refuse(call, ErrorCodes.NoTenantSelected, "Select a tenant first.");
            return null;
        }

        if (call.NamedTenant is { } named && named != tenant)
        {
            Refuse(call, ErrorCodes.Forbidden, "The call names a tenant other than the one selected.");
            return null;
        }

        return tenant;
    }

    private void ServeTenantCall(BrowserCall call, string askedOn)
    {
        if (TenantOf(call) is not { } tenant)
        {
            return;
        }

        var session = _session!;
        if (PhiRead.Of(call, tenant, session.UserId) is var (read, resourceId, body))
        {
            // Audited before it is asked (PROTOCOL.md §2, htpi.audit.access).
            var audit = new AuditAccess(session.UserId, tenant.Value, read.AuditResource, resourceId, DateTimeOffset.UtcNow);
            _ = Nats.PublishAsync(Subjects.AuditAccess, PortalJson.ToUtf8(audit));
            Request(call, tenant, session, askedOn, read.Subject, body, read.Reply);
            return;
        }

        switch (call)
        {
            case SubscribeCall subscribe:
                Subscribe(subscribe, tenant, session);
                break;
            case PatientAddCall add:
                Request(call, tenant, session, askedOn, Subjects.PatientCreate,
                    PortalJson.ToUtf8(new PatientCreateRequest(tenant.Value, session.UserId, add.Patient)), ReplyShape.Patient);
                break;
            default:
                Refuse(call, ErrorCodes.Internal, "This call is not served here.");
                break;
        }
    }

    private void Subscribe(SubscribeCall call, TenantId tenant, Session session)
    {
        if (_feeds.ChildOf(call.Feed) is { } existing)
        {
            existing.Tell(new SubscriptionActor.Refresh(call.RequestId) { Trace = _callTrace });
            return;
        }

        if (_feeds.Holds(call.Feed))
        {
            // Waiting to start again after a failure: started now, it sends its snapshot at once.
            Timers.Cancel(("restart", call.Feed));
            _feeds.Remove(call.Feed);
        }

        StartFeed(new SubscriptionSpec(_route, call.Feed, tenant, session, call.RequestId) { Trace = _callTrace });
    }

    private void Request(BrowserCall call, TenantId tenant, Session session, string askedOn, string subject, byte[] body, ReplyShape shape)
    {
        var generation = _generation;
        Nats.RequestAsync(subject, body, session.Headers, _deps.Settings.RequestTimeout)
            .PipeTo(
                Self,
                success: reply => new DataReply(call, session, generation, tenant, askedOn, shape, reply),
                failure: _ => new DataReply(call, session, generation, tenant, askedOn, shape, NatsReply.Unavailable));
    }

    /// <summary>Answers a data call on the socket that asked, only for the session and tenant it was asked for.</summary>
    private void AnswerData(DataReply reply)
    {
        var call = reply.Call;
        if (!_route.Answers(reply.AskedOn))
        {
            Push.RefuseMoved(reply.AskedOn, call);
            return;
        }

        if (!ReferenceEquals(reply.Session, _session))
        {
            Refuse(call, ErrorCodes.Unauthenticated, "The session ended before the answer arrived.");
            return;
        }

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

        if (reply.Shape.Read(outcome, call.RequestId) is not { } response)
        {
            Refuse(call, ServiceOutcome.Malformed($"an unexpected answer to {call.Method}"));
            return;
        }

        Push.Respond(_route, call, response);
    }
}
