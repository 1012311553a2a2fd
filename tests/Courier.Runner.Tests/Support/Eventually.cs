using Xunit;

namespace Courier.Runner.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes (no fixed sleeps in tests).</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {within}");
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
