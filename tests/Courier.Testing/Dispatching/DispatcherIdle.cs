using Xunit;

namespace Courier.Testing;

/// <summary>The wait for a dispatcher to have nothing left to do, on <see cref="Eventually"/>.</summary>
public static class DispatcherIdle
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Waits until <paramref name="dispatcher"/> reports idle twice in a row (nothing in flight, every partition it
    /// consumes committed to its end). If it is not within <paramref name="bound"/> (a hang), the test fails with
    /// <paramref name="state"/>, by default <see cref="DescribeAsync"/>.
    /// </summary>
    public static Task WaitAsync(Dispatcher dispatcher, TimeSpan? bound = null, Func<ValueTask<string>>? state = null)
    {
        var consecutive = 0;
        return Eventually.TrueAsync(
            async () =>
            {
                consecutive = await dispatcher.IsIdleAsync(TestContext.Current.CancellationToken) ? consecutive + 1 : 0;
                return consecutive >= 2;
            },
            "the dispatcher was idle twice in a row",
            bound,
            state ?? (() => DescribeAsync(dispatcher)),
            Interval);
    }

    /// <summary>The per-type stats (each as <paramref name="describe"/> writes it) and the partitions with uncommitted records.</summary>
    public static async ValueTask<string> DescribeAsync(Dispatcher dispatcher, Func<JobTypeStats, string>? describe = null)
    {
        var backlog = await dispatcher.ReadBacklogAsync(TestContext.Current.CancellationToken);
        return "stats: " + string.Join("; ", dispatcher.GetStats().Select(s => describe?.Invoke(s) ?? s.ToString()))
            + ". Uncommitted: " + string.Join(", ", backlog.Where(b => b.Value > 0).Select(b => $"{b.Key}={b.Value}"));
    }
}
