using Portal.DemoServices.Model;

namespace Portal.DemoServices.Handlers;

/// <summary>The tenant a request may act on, once its token, its userId and the tenant grant all agree.</summary>
internal readonly record struct TenantScope(DemoUser User, string TenantId);

/// <summary>
/// The checks a real HTPI service makes before serving data: the bearer token is known, it belongs
/// to the <c>userId</c> in the body, and that user was granted the tenant. The demo is strict on
/// purpose so a portal that forgets the header or mixes up users fails in tests, not in production.
/// </summary>
internal static class RequestGuard
{
    public const string Unauthorized = "Unauthorized";
    public const string AccessDenied = "Access denied";

    public static DemoUser? User(DemoStore store, DemoRequest request, out string error)
    {
        var user = store.UserForToken(request.BearerToken);
        if (user is null || !string.Equals(request.String("userId"), user.Id, StringComparison.Ordinal))
        {
            error = Unauthorized;
            return null;
        }
        error = "";
        return user;
    }

    public static TenantScope? Tenant(DemoStore store, DemoRequest request, out string error)
    {
        if (User(store, request, out error) is not { } user)
        {
            return null;
        }
        var tenantId = request.String("tenantId");
        if (!DemoIds.IsValid(tenantId) || !user.HasTenant(tenantId!))
        {
            error = AccessDenied;
            return null;
        }
        return new TenantScope(user, tenantId!);
    }
}
