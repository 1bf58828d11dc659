namespace Portal.Protocol.Tests;

/// <summary>
/// Ids that must never become part of a NATS subject (PROTOCOL.md §3): wildcards, separators,
/// blanks, lengths outside 1..64, non-ASCII look-alikes and control characters.
/// </summary>
public static class BadIds
{
    public static readonly IReadOnlyList<string> NonNull =
    [
        "*",
        ">",
        ".",
        "a.b",
        "tenant.>",
        "tenant-*",
        "a b",
        " ",
        " tenant-001",
        "tenant-001 ",
        "",
        new string('a', 65),
        new string('a', 10_000),
        "é",
        "tenant-é",
        "日本",
        "😀",
        "１２３",           // fullwidth digits
        "\u212A",          // Kelvin sign: a 'K' to case-insensitive matching
        "\u00A0",          // no-break space
        "\n",
        "\t",
        "\0",
        "tenant-001\n",    // .NET Regex '$' matches before a final '\n'
        "tenant-001\r\n",
        "a\0b",
        "a/b",
        "a+b",
        "a:b",
    ];

    /// <summary>Every bad id, null included.</summary>
    public static TheoryData<string?> All
    {
        get
        {
            var data = new TheoryData<string?>();
            foreach (var id in NonNull)
            {
                data.Add(id);
            }

            data.Add(null);
            return data;
        }
    }

    public static TheoryData<string> Valid => new()
    {
        "a",
        "Z",
        "0",
        "-",
        "_",
        new string('x', 64),
        "tenant-001",
        "a_B-9",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
    };
}
