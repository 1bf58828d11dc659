namespace Portal.Actors.Browser;

/// <summary>
/// A push that goes unchanged to many sockets: one broadcast to every subscriber of the node (the
/// seq is the topic's, so it is the same for all). Made once by <see cref="IBrowserPush.Prepare"/>
/// so the host can encode it once instead of once per socket. Not a record, so it never prints its
/// payload (patient and claim data) into a log line.
/// </summary>
public class PreparedPush(string eventName, object payload, object? second)
{
    public string EventName { get; } = eventName;

    public object Payload { get; } = payload;

    public object? Second { get; } = second;

    public override string ToString() => $"PreparedPush {EventName}";
}
