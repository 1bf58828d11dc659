using System.Buffers.Text;
using System.Security.Cryptography;
using Portal.DemoServices.Model;

namespace Portal.DemoServices;

/// <summary>
/// The demo auth service's tokens: random and opaque (32 random bytes, base64url, 43 characters), kept for
/// the whole process, so that they outlive a restart of the demo services as a real auth service's tokens
/// outlive its restarts (the portal checks a token again on every resume, PROTOCOL.md §3).
/// </summary>
internal static class DemoTokens
{
    /// <summary>Logins are cheap to make; keep the token map from growing without bound on a long demo.</summary>
    private const int MaxTokens = 10_000;

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, DemoUser> Users = new(StringComparer.Ordinal);
    private static readonly Queue<string> Order = new();

    public static string Issue(DemoUser user)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        lock (Gate)
        {
            Users[token] = user;
            Order.Enqueue(token);
            while (Order.Count > MaxTokens)
            {
                Users.Remove(Order.Dequeue());
            }
        }

        return token;
    }

    public static DemoUser? UserOf(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        lock (Gate)
        {
            return Users.GetValueOrDefault(token);
        }
    }
}
