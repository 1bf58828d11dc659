using System.Text;
using Portal.Actors.Nats;
using Portal.Protocol.Browser;

namespace Portal.Actors.Connections;

/// <summary>Who is logged in on a socket: the user and the token every request carries.</summary>
public sealed record Session(SessionUser User, string Token)
{
    public string UserId => User.Id;

    /// <summary>The <c>Authorization: Bearer</c> header of every request made for this session.</summary>
    public NatsRequestHeaders Headers { get; } = new(Token);

    // Records print every member; the token must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("UserId = ").Append(User.Id);
        return true;
    }
}
