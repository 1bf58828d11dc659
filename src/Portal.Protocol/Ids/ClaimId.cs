namespace Portal.Protocol.Ids;

/// <summary>A claim id.</summary>
public readonly record struct ClaimId : ISafeId<ClaimId>
{
    private ClaimId(string value) => Value = value;

    public string Value { get; }

    static ClaimId ISafeId<ClaimId>.FromValidated(string value) => new(value);

    public override string ToString() => Value;
}
