namespace Portal.DemoServices.Tests.Unit;

public sealed class DemoStoreTests
{
    [Fact]
    public void IssueToken_Twice_GivesDistinctBase64UrlTokensThatResolve()
    {
        var store = new DemoStore();
        var user = DemoData.Users[1];

        var a = store.IssueToken(user);
        var b = store.IssueToken(user);

        Assert.NotEqual(a, b);
        Assert.Matches("^[A-Za-z0-9_-]{43}\\z", a);
        Assert.Same(user, store.UserForToken(a));
        Assert.Null(store.UserForToken("nope"));
        Assert.Null(store.UserForToken(null));
    }

    [Fact]
    public async Task Store_ConcurrentWritesAndReads_StaysConsistent()
    {
        var store = new DemoStore();
        var before = store.Patients(DemoData.Tenant1).Count;

        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            for (var i = 0; i < 100; i++)
            {
                store.CreatePatient(DemoData.Tenant1, new NewPatient($"F{w}", $"L{i}", "2000-01-01", null, null, null));
                store.AdvanceRandomClaim(DemoData.Tenant1, random);
                _ = store.Stats(DemoData.Tenant1);
                _ = store.Activities(DemoData.Tenant1);
            }
        }));
        await Task.WhenAll(writers);

        var patients = store.Patients(DemoData.Tenant1);
        Assert.Equal(before + 800, patients.Count);
        Assert.Equal(patients.Count, patients.Select(p => p.Id).Distinct().Count());
        Assert.Equal(patients.Count, store.Stats(DemoData.Tenant1).Patients);
    }

    [Fact]
    public void AdvanceRandomClaim_Always_ChangesStatusAndRecordsActivity()
    {
        var store = new DemoStore();
        var random = new Random(1);

        var (claim, activity) = store.AdvanceRandomClaim(DemoData.Tenant2, random)!.Value;

        Assert.Equal(claim.Status, store.Claim(DemoData.Tenant2, claim.Id)!.Status);
        Assert.Equal(activity.Id, store.Activities(DemoData.Tenant2)[0].Id);
        Assert.DoesNotContain("Brown", activity.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("submitted", false, "pending")]
    [InlineData("pending", false, "approved")]
    [InlineData("pending", true, "denied")]
    [InlineData("approved", false, "paid")]
    [InlineData("paid", false, "submitted")]
    [InlineData("denied", false, "submitted")]
    public void NextStatus_Lifecycle_MovesOn(string from, bool deny, string expected) =>
        Assert.Equal(expected, Model.DemoClaim.NextStatus(from, deny));
}
