using Xunit;

namespace Courier.EndToEnd.Support;

/// <summary>Polls a condition until it holds or a deadline passes; never asserts on how long it took.</summary>
internal static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Waits until <paramref name="condition"/> is true. After <paramref name="deadline"/> the test fails with
    /// <paramref name="whatIsMissing"/>, which should say what did not happen (counts, ids, process output).
    /// </summary>
    public static async Task UntilAsync(
        Func<ValueTask<bool>> condition, TimeSpan deadline, Func<ValueTask<string>> whatIsMissing, TimeSpan? interval = null)
    {
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        var ct = TestContext.Current.CancellationToken;
        while (true)
        {
            if (await condition())
            {
                return;
            }
            if (time.GetElapsedTime(started) >= deadline)
            {
                Assert.Fail($"not within {deadline.TotalSeconds:0} s: {await whatIsMissing()}");
            }
            await Task.Delay(interval ?? DefaultInterval, time, ct);
        }
    }
}
