namespace Portal.DemoServices;

/// <summary>The id rule of PROTOCOL.md §3: <c>^[A-Za-z0-9_-]{1,64}$</c>, checked by hand because .NET's <c>$</c> also matches before a final newline.</summary>
internal static class DemoIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }
        return true;
    }
}
