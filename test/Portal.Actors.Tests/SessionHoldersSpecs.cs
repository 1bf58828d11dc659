using Portal.Actors.Connections;
using Portal.Actors.Tests.Fakes;
using Xunit;

namespace Portal.Actors.Tests;

public sealed class SessionHoldersSpecs() : PortalSpec("akka.loglevel = WARNING")
{
    [Fact]
    public void SessionHolders_must_keep_every_actor_holding_a_token_and_resume_the_newest()
    {
        var holders = new SessionHolders();
        var first = CreateTestProbe().Ref;
        var second = CreateTestProbe().Ref;

        holders.Began(first, "t1");
        holders.Began(second, "t1");

        Assert.Equal(second, holders.Newest("t1"));
        Assert.Equal([first, second], holders.HoldersOf("t1"));

        // The older one still has its session: it is not mistaken for an anonymous socket.
        Assert.True(holders.HasSession(first));

        holders.Ended(second, "t1");
        Assert.Equal(first, holders.Newest("t1"));
    }

    [Fact]
    public void SessionHolders_must_ignore_the_end_of_a_session_the_actor_no_longer_holds()
    {
        var holders = new SessionHolders();
        var actor = CreateTestProbe().Ref;

        holders.Began(actor, "t1");
        holders.Began(actor, "t2");
        holders.Ended(actor, "t1");

        Assert.Equal("t2", holders.TokenOf(actor));
        Assert.Null(holders.Newest("t1"));
        Assert.Empty(holders.HoldersOf("t1"));

        holders.Forget(actor);
        Assert.False(holders.HasSession(actor));
        Assert.Null(holders.Newest("t2"));
        Assert.Empty(holders.Actors);
    }
}
