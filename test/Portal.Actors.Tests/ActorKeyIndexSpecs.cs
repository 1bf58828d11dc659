using Akka.Actor;
using Portal.Actors.Connections;
using Portal.Actors.Tests.Fakes;
using Xunit;

namespace Portal.Actors.Tests;

public sealed class ActorKeyIndexSpecs() : PortalSpec("akka.loglevel = WARNING")
{
    [Fact]
    public void ActorKeyIndex_must_move_a_key_to_its_new_holder_and_drop_only_the_stopped_actors_keys()
    {
        var index = new ActorKeyIndex();
        var a = CreateTestProbe().Ref;
        var b = CreateTestProbe().Ref;

        index.Set("c1", a);
        index.Set("c2", a);
        index.Set("c3", b);
        index.Set("c1", b);

        Assert.True(index.TryGetValue("c1", out var holder));
        Assert.Equal(b, holder);
        Assert.True(index.Holds(a));

        index.RemoveActor(a);
        Assert.False(index.ContainsKey("c2"));
        Assert.False(index.Holds(a));
        Assert.Equal(2, index.Count);

        index.RemoveActor(b);
        Assert.Equal(0, index.Count);
        Assert.Empty(index.Actors);
    }

    /// <summary>Seeded random operations against a plain dictionary scanned the slow way, as the manager used to.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ActorKeyIndex_must_agree_with_a_scanned_dictionary_after_any_sequence_of_changes(int seed)
    {
        var random = new Random(seed);
        var actors = Enumerable.Range(0, 8).Select(_ => CreateTestProbe().Ref).ToArray();
        var index = new ActorKeyIndex();
        var model = new Dictionary<string, IActorRef>();

        for (var step = 0; step < 5_000; step++)
        {
            var key = $"k{random.Next(40)}";
            var actor = actors[random.Next(actors.Length)];
            switch (random.Next(3))
            {
                case 0:
                    index.Set(key, actor);
                    model[key] = actor;
                    break;
                case 1:
                    Assert.Equal(model.Remove(key), index.Remove(key, out _));
                    break;
                default:
                    index.RemoveActor(actor);
                    foreach (var gone in model.Where(e => e.Value.Equals(actor)).Select(e => e.Key).ToList())
                    {
                        model.Remove(gone);
                    }

                    break;
            }

            Assert.Equal(model.Count, index.Count);
            Assert.Equal(model.Values.Distinct().OrderBy(r => r.Path.ToString()), index.Actors.OrderBy(r => r.Path.ToString()));
            foreach (var probe in actors)
            {
                Assert.Equal(model.ContainsValue(probe), index.Holds(probe));
            }
        }

        foreach (var (key, actor) in model)
        {
            Assert.True(index.TryGetValue(key, out var held));
            Assert.Equal(actor, held);
        }
    }
}
