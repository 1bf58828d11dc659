using System.Text.Json;
using Portal.Actors.Browser;
using Portal.Protocol.Browser;
using static Portal.Actors.Topics.TopicProtocol;

namespace Portal.Actors.Tests.Fakes;

/// <summary>Topic events as a topic makes them (prepared once, with their seq), for specs that play the topic.</summary>
public static class TopicEvents
{
    public static TopicEvent Make(string subject, long seq, string eventName, JsonElement payload) =>
        new(subject, seq, new PreparedPush(eventName, payload, new SeqInfo(seq, "")));

    /// <summary>The broadcast's inner object, as the browser gets it.</summary>
    public static JsonElement PayloadOf(this TopicEvent topicEvent) => (JsonElement)topicEvent.Push.Payload;
}
