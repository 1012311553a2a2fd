using System.Diagnostics;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// The one polling wait of the test projects: re-checks a condition until it holds. The bound only catches a hang
/// (a test never passes or fails on how long something took); when it is reached the test fails naming what it
/// waited for and, if given, the last state it observed.
/// </summary>
public static class Eventually
{
    /// <summary>The bound when a caller gives none: far beyond any healthy wait, so only a hang reaches it.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Waits until <paramref name="condition"/> is true. If it is still false after <paramref name="bound"/>
    /// (<see cref="DefaultBound"/> when null), the test fails with "<paramref name="what"/>" and
    /// <paramref name="state"/> (what was last observed: counts, ids, process output).
    /// </summary>
    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? bound = null, Func<string>? state = null,
        TimeSpan? interval = null) =>
        TrueAsync(() => ValueTask.FromResult(condition()), what, bound,
            state is null ? null : () => ValueTask.FromResult(state()), interval);

    /// <inheritdoc cref="TrueAsync(Func{bool}, string, TimeSpan?, Func{string}?, TimeSpan?)"/>
    public static async Task TrueAsync(Func<ValueTask<bool>> condition, string what, TimeSpan? bound = null,
        Func<ValueTask<string>>? state = null, TimeSpan? interval = null)
    {
        var limit = bound ?? DefaultBound;
        var ct = TestContext.Current.CancellationToken;
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) >= limit)
            {
                GiveUp(limit, what, state is null ? null : await state());
            }
            await Task.Delay(interval ?? DefaultInterval, ct);
        }
    }

    /// <summary>
    /// The same wait on the test's own thread, for a condition that waits by itself between checks: one that drives a
    /// single-thread consumer, whose <c>Consume</c> blocks for its poll timeout (see <see cref="Consuming"/>).
    /// </summary>
    public static void True(Func<bool> condition, string what, TimeSpan? bound = null, Func<string>? state = null)
    {
        var limit = bound ?? DefaultBound;
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) >= limit)
            {
                GiveUp(limit, what, state?.Invoke());
            }
        }
    }

    private static void GiveUp(TimeSpan limit, string what, string? observed) =>
        Assert.Fail($"gave up after {limit.TotalSeconds:0} s waiting until {what}{(observed is null ? "" : "; last observed: " + observed)}");
}
