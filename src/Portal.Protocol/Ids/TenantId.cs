namespace Portal.Protocol.Ids;

/// <summary>A tenant (organisation) id.</summary>
public readonly record struct TenantId : ISafeId<TenantId>
{
    private TenantId(string value) => Value = value;

    public string Value { get; }

    static TenantId ISafeId<TenantId>.FromValidated(string value) => new(value);

    public override string ToString() => Value;
}
