using System.Text.Json.Nodes;

namespace Portal.DemoServices.Handlers;

/// <summary><c>htpi.auth.login</c> and <c>htpi.auth.verify</c>.</summary>
internal static class AuthHandlers
{
    public const string InvalidCredentials = "Invalid email or password";

    /// <summary>
    /// Answers on <c>customer.auth.response.&lt;clientId&gt;</c>. A clientId that is not a safe id is
    /// ignored: it would otherwise become a wildcard or an extra token in the subject.
    /// </summary>
    public static DemoOutcome Login(DemoStore store, DemoRequest request)
    {
        var clientId = request.String("clientId");
        if (!DemoIds.IsValid(clientId))
        {
            return DemoOutcome.None;
        }
        var email = request.String("email");
        var password = request.String("password");
        var user = email is null || password is null ? null : DemoStore.FindByCredentials(email, password);

        JsonObject body = user is null
            ? new() { ["success"] = false, ["clientId"] = clientId, ["error"] = InvalidCredentials }
            : new() { ["success"] = true, ["clientId"] = clientId, ["user"] = user.ToJson(), ["token"] = store.IssueToken(user) };
        return DemoOutcome.Publish(new DemoPublication(DemoSubjects.AuthResponse(clientId!), body));
    }

    /// <summary><c>user_id</c> is snake_case on the wire, as the real auth service sends it.</summary>
    public static DemoOutcome Verify(DemoStore store, DemoRequest request)
    {
        var user = store.UserForToken(request.String("token"));
        return DemoOutcome.ReplyWith(user is null
            ? new() { ["valid"] = false, ["error"] = "Invalid or expired token" }
            : new()
            {
                ["valid"] = true,
                ["user_id"] = user.Id,
                ["email"] = user.Email,
                ["role"] = user.Role,
                ["portal"] = "customer",
            });
    }
}
