namespace Courier.Server.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes (no fixed sleeps in tests).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {within}");
            }
            await Task.Delay(50);
        }
    }
}
