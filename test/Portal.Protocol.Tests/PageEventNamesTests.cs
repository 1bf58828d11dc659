using System.Reflection;
using Portal.Protocol.Browser;

namespace Portal.Protocol.Tests;

/// <summary>
/// The page (TypeScript) spells every event name itself; <see cref="EventNames"/> is the one source.
/// These fail when the page names an event the protocol lacks, or lacks a push it must handle.
/// </summary>
public sealed class PageEventNamesTests
{
    private static readonly PageSources Page = PageSources.Read();

    /// <summary>Every constant of <see cref="EventNames"/>.</summary>
    private static readonly string[] AllNames =
        [.. typeof(EventNames).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    /// <summary>The calls are what the parser accepts (EventNamesTests pins that to PROTOCOL.md §1).</summary>
    private static readonly string[] Calls = [.. BrowserCallParser.Methods];

    /// <summary>The rest of <see cref="EventNames"/> is pushed by the portal.</summary>
    private static readonly string[] Pushes = [.. AllNames.Except(Calls)];

    /// <summary>PROTOCOL.md §1: answered by pushes (a snapshot), not by a <c>…:response</c>.</summary>
    private static readonly string[] AnsweredByPushes = [EventNames.DashboardSubscribe, EventNames.PatientsSubscribe];

    /// <summary>PROTOCOL.md §1, "Pushes from the portal": the live pushes, with <c>{seq}</c>.</summary>
    private static readonly string[] LivePushes =
        [EventNames.DashboardStatsUpdate, EventNames.DashboardActivityNew, EventNames.PatientsNew, EventNames.PatientsUpdated, EventNames.ClaimsUpdated];

    [Fact]
    public void PageCalls_Always_AreProtocolCalls()
    {
        string[] named = [.. Page.Answered, .. Page.SentWithoutAnswer, .. Page.CalledAt];
        Assert.NotEmpty(Page.CalledAt);
        Assert.Empty(named.Except(Calls));
    }

    [Fact]
    public void PagePushes_Always_AreProtocolPushes()
    {
        string[] named = [.. Page.Pushes, .. Page.LiveFeeds, .. Page.ListenedAt];
        Assert.NotEmpty(Page.ListenedAt);
        Assert.Empty(named.Except(Pushes));
    }

    [Fact]
    public void PagePushes_Always_IncludeEveryProtocolPush() =>
        Assert.Empty(Pushes.Except(Page.Pushes));

    [Fact]
    public void PageAnswered_Always_IsEveryCallWithAResponse() =>
        Assert.Equal(Calls.Except(AnsweredByPushes).Order(StringComparer.Ordinal), Page.Answered.Order(StringComparer.Ordinal));

    [Fact]
    public void PageSend_Always_IsTheCallsAnsweredByPushes() =>
        Assert.Equal(AnsweredByPushes.Order(StringComparer.Ordinal), Page.SentWithoutAnswer.Order(StringComparer.Ordinal));

    [Fact]
    public void PageLiveFeeds_Always_AreTheLivePushes() =>
        Assert.Equal(LivePushes.Order(StringComparer.Ordinal), Page.LiveFeeds.Order(StringComparer.Ordinal));

    [Fact]
    public void PageLists_Always_NameEachEventOnce()
    {
        Assert.Equal(Page.Answered.Distinct(), Page.Answered);
        Assert.Equal(Page.Pushes.Distinct(), Page.Pushes);
    }
}
