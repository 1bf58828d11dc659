namespace Portal.IntegrationTests.Infrastructure;

/// <summary>Waits (polling, bounded) for a condition that the system under test reaches on its own time.</summary>
public static class Eventually
{
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(10);
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"The condition never held within {limit.TotalSeconds} s.");
    }
}
