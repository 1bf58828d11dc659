namespace Portal.Protocol.Ids;

/// <summary>A patient id.</summary>
public readonly record struct PatientId : ISafeId<PatientId>
{
    private PatientId(string value) => Value = value;

    public string Value { get; }

    static PatientId ISafeId<PatientId>.FromValidated(string value) => new(value);

    public override string ToString() => Value;
}
