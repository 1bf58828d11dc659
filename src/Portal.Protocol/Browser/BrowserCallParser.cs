using System.Collections.Frozen;
using System.Text.Json;
using Portal.Protocol.Ids;

namespace Portal.Protocol.Browser;

/// <summary>
/// Turns the one JSON argument of a hub call into a typed <see cref="BrowserCall"/>, checking shape,
/// types and every id before anything else sees the call (PROTOCOL.md §3).
/// </summary>
public static class BrowserCallParser
{
    /// <summary>Arguments above this size are refused with <c>payload_too_large</c>.</summary>
    public const int MaxArgumentBytes = 64 * 1024;

    private const int MaxRequestIdLength = 128;
    private const int MaxEmailLength = 254;
    private const int MaxSecretLength = 4096;
    private const int MaxEpochLength = 128;

    private static readonly FrozenDictionary<string, Func<JsonElement, BrowserCall>> Parsers =
        new Dictionary<string, Func<JsonElement, BrowserCall>>
        {
            [EventNames.AuthLogin] = a => new LoginCall(
                RequiredString(a, "email", MaxEmailLength), RequiredString(a, "password", MaxSecretLength)),
            [EventNames.AuthResume] = a => new ResumeCall(RequiredString(a, "token", MaxSecretLength), OptionalLastSeq(a))
            {
                Subscriptions = OptionalFeeds(a, "subscriptions"),
                Epoch = OptionalString(a, "epoch", MaxEpochLength),
            },
            [EventNames.AuthLogout] = _ => new LogoutCall(),
            [EventNames.TenantsList] = _ => new TenantsListCall(),
            [EventNames.TenantSelect] = a => new TenantSelectCall(RequiredId<TenantId>(a, "tenantId")),
            [EventNames.DashboardSubscribe] = _ => new SubscribeCall(Feed.Dashboard),
            [EventNames.DashboardUnsubscribe] = _ => new UnsubscribeCall(Feed.Dashboard),
            [EventNames.PatientsSubscribe] = _ => new SubscribeCall(Feed.Patients),
            [EventNames.PatientsUnsubscribe] = _ => new UnsubscribeCall(Feed.Patients),
            [EventNames.ClaimsSubscribe] = _ => new SubscribeCall(Feed.Claims),
            [EventNames.ClaimsUnsubscribe] = _ => new UnsubscribeCall(Feed.Claims),
            [EventNames.PatientsView] = a => new PatientViewCall(RequiredId<PatientId>(a, "patientId")),
            [EventNames.PatientsAdd] = a => new PatientAddCall(RequiredNewPatient(a)),
            [EventNames.ClaimsList] = a => new ClaimsListCall(RequiredId<PatientId>(a, "patientId")),
            [EventNames.ClaimsGet] = a => new ClaimGetCall(RequiredId<ClaimId>(a, "claimId")),
            [EventNames.InsuranceList] = a => new InsuranceListCall(RequiredId<PatientId>(a, "patientId")),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IEnumerable<string> Methods => Parsers.Keys;

    /// <summary>
    /// Parses <paramref name="args"/> for <paramref name="method"/>. Calls that take no fields
    /// accept a missing or null argument as <c>{}</c>.
    /// </summary>
    public static bool TryParse(string method, JsonElement args, out BrowserCall? call, out CallRejection? rejection)
    {
        call = null;
        rejection = null;
        string? requestId = null;
        try
        {
            if (args.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            {
                args = EmptyObject;
            }
            else if (args.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidCallException("The argument must be a JSON object.");
            }

            // Read first, so that every later refusal can echo it.
            requestId = OptionalString(args, "requestId", MaxRequestIdLength);
            if (!Parsers.TryGetValue(method, out var parse))
            {
                throw new InvalidCallException($"Unknown method '{Printable(method)}'.");
            }

            var namedTenant = OptionalId<TenantId>(args, "tenantId");
            call = parse(args) with { RequestId = requestId, NamedTenant = namedTenant };
            return true;
        }
        catch (InvalidCallException e)
        {
            // An unknown method name is the client's text: it goes back printable, like the message.
            rejection = new CallRejection(ErrorCodes.InvalidArgument, e.Message, Parsers.ContainsKey(method) ? method : Printable(method), requestId);
            return false;
        }
    }

    /// <summary>
    /// The refusal of a call turned away before it is served (the per-socket call limit), worded as the parser would
    /// word any refusal of it: the method as the parser names it, and the requestId (and a select's tenant) when the
    /// argument holds them well-formed. Parsing happens here, so only for refused calls.
    /// </summary>
    public static CallRejection Refusal(string method, JsonElement args, string code, string message) =>
        TryParse(method, args, out var call, out var invalid)
            ? CallRejection.Of(call!, code, message)
            : invalid! with { Code = code, Message = message };

    /// <summary>A refusal for an argument over <see cref="MaxArgumentBytes"/>.</summary>
    public static CallRejection TooLarge(string method, int bytes) => new(
        ErrorCodes.PayloadTooLarge,
        $"The argument is {bytes} bytes; the limit is {MaxArgumentBytes}.",
        method,
        RequestId: null);

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    private static string RequiredString(JsonElement args, string name, int maxLength) =>
        OptionalString(args, name, maxLength) is { Length: > 0 } value
            ? value
            : throw new InvalidCallException($"'{name}' is required.");

    private static string? OptionalString(JsonElement args, string name, int maxLength)
    {
        if (!args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidCallException($"'{name}' must be a string.");
        }

        var text = value.GetString()!;
        return text.Length <= maxLength
            ? text
            : throw new InvalidCallException($"'{name}' is longer than {maxLength} characters.");
    }

    private static T RequiredId<T>(JsonElement args, string name) where T : struct, ISafeId<T> =>
        OptionalId<T>(args, name) ?? throw new InvalidCallException($"'{name}' is required.");

    private static T? OptionalId<T>(JsonElement args, string name) where T : struct, ISafeId<T>
    {
        if (!args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && SafeId.TryParse<T>(value.GetString(), out var id))
        {
            return id;
        }

        throw new InvalidCallException($"'{name}' must be 1 to {SafeId.MaxLength} characters of A-Z, a-z, 0-9, '_' or '-'.");
    }

    private static IReadOnlyList<Feed> OptionalFeeds(JsonElement args, string name)
    {
        if (!args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > 3)
        {
            throw new InvalidCallException($"'{name}' must be a list of at most three of \"dashboard\", \"patients\", \"claims\".");
        }

        var feeds = new List<Feed>(value.GetArrayLength());
        foreach (var item in value.EnumerateArray())
        {
            Feed? feed = item.ValueKind != JsonValueKind.String ? null : item.GetString() switch
            {
                "dashboard" => Feed.Dashboard,
                "patients" => Feed.Patients,
                "claims" => Feed.Claims,
                _ => null,
            };
            if (feed is not { } known || feeds.Contains(known))
            {
                throw new InvalidCallException($"'{name}' must be a list of at most three of \"dashboard\", \"patients\", \"claims\", each once.");
            }

            feeds.Add(known);
        }

        return feeds;
    }

    private static LastSeq? OptionalLastSeq(JsonElement args)
    {
        if (!args.TryGetProperty("lastSeq", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCallException("'lastSeq' must be an object.");
        }

        return new LastSeq(OptionalSeq(value, "dashboard"), OptionalSeq(value, "patients"), OptionalSeq(value, "claims"));
    }

    private static long? OptionalSeq(JsonElement lastSeq, string name)
    {
        if (!lastSeq.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seq) && seq >= 0
            ? seq
            : throw new InvalidCallException($"'lastSeq.{name}' must be a whole number of at least 0.");
    }

    private static JsonElement RequiredNewPatient(JsonElement args)
    {
        if (!args.TryGetProperty("patient", out var patient) || patient.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidCallException("'patient' must be an object.");
        }

        foreach (var field in (ReadOnlySpan<string>)["firstName", "lastName", "dateOfBirth"])
        {
            _ = RequiredString(patient, field, 256);
        }

        return patient.Clone();
    }

    // Method names come from the client: only short printable ASCII goes back into a message.
    private static string Printable(string text)
    {
        var cut = text.Length > 64 ? text[..64] + "..." : text;
        return new string(cut.Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
    }

    private sealed class InvalidCallException(string message) : Exception(message);
}
