using System.Security.Cryptography;

namespace Portal.Protocol.Ids;

/// <summary>The portal's own per-socket id used in reply subjects (never the SignalR connection id).</summary>
public readonly record struct ClientId : ISafeId<ClientId>
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private ClientId(string value) => Value = value;

    public string Value { get; }

    static ClientId ISafeId<ClientId>.FromValidated(string value) => new(value);

    /// <summary>24 random alphanumerics: unguessable, so no socket can read another's replies.</summary>
    public static ClientId NewRandom() => new(RandomNumberGenerator.GetString(Alphabet, 24));

    public override string ToString() => Value;
}
