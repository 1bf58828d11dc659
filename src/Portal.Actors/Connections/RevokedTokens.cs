using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Actors.Connections;

/// <summary>
/// Hashes of tokens logged out on any node (learnt from <c>customer.session.revoked</c>), so that
/// <c>auth:resume</c> refuses them. Thread-safe and bounded: read by every connection actor, written
/// on logout. Entries older than <see cref="Retention"/> are forgotten (tokens expire long before).
/// </summary>
public sealed class RevokedTokens
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private const int PruneAbove = 100_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _revokedAt = new(StringComparer.Ordinal);
    private readonly TimeProvider _clock;

    public RevokedTokens(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>SHA-256 of the token in lower-case hex: what travels on NATS instead of the token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool IsHash(string text) => text.Length == 64 && text.All(Uri.IsHexDigit);

    public int Count => _revokedAt.Count;

    public void Revoke(string tokenHash)
    {
        _revokedAt[tokenHash] = _clock.GetUtcNow();
        if (_revokedAt.Count > PruneAbove)
        {
            var cutoff = _clock.GetUtcNow() - Retention;
            foreach (var (hash, at) in _revokedAt)
            {
                if (at < cutoff)
                {
                    _revokedAt.TryRemove(hash, out _);
                }
            }
        }
    }

    public bool IsRevoked(string token) => _revokedAt.ContainsKey(Hash(token));
}
