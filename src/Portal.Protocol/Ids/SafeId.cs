using System.Diagnostics.CodeAnalysis;

namespace Portal.Protocol.Ids;

/// <summary>An id that has been checked against <c>^[A-Za-z0-9_-]{1,64}$</c>.</summary>
public interface ISafeId<TSelf> where TSelf : struct, ISafeId<TSelf>
{
    string Value { get; }

    /// <summary>Wraps a value that <see cref="SafeId"/> has already validated.</summary>
    static abstract TSelf FromValidated(string value);
}

/// <summary>
/// The one gate between text from outside and a NATS subject: only ids made of ASCII letters,
/// digits, '_' and '-' (1 to 64 of them) pass, so no wildcard, separator or control character
/// can ever reach a subject.
/// </summary>
public static class SafeId
{
    public const int MaxLength = 64;

    // A loop, not a Regex: .NET's '$' also matches before a final '\n', and this is cheaper.
    public static bool IsValid([NotNullWhen(true)] string? value)
    {
        if (value is null || value.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            var ok = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '-';
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryParse<T>(string? value, out T id) where T : struct, ISafeId<T>
    {
        if (IsValid(value))
        {
            id = T.FromValidated(value);
            return true;
        }

        id = default;
        return false;
    }

    public static T Parse<T>(string? value) where T : struct, ISafeId<T> =>
        TryParse<T>(value, out var id)
            ? id
            : throw new ArgumentException($"Not a valid {typeof(T).Name}: ids are 1-64 of [A-Za-z0-9_-].", nameof(value));

    /// <summary>Guards against <c>default(T)</c>, the one way round validation.</summary>
    public static string Require<T>(T id) where T : struct, ISafeId<T> =>
        id.Value ?? throw new ArgumentException($"An uninitialised {typeof(T).Name} cannot name a subject.", nameof(id));
}
