using System.Diagnostics;

namespace Courier.Bench.KafkaLatency;

/// <summary>
/// What both sides of the section share: a warm-up until the consumer is running, then the paced send, then a wait
/// for the last jobs to start. The side supplies how to send a batch and records starts in the <see cref="JobProbe"/>.
/// </summary>
internal static class LatencyRun
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan WarmupLimit = TimeSpan.FromSeconds(60);

    /// <summary>Jobs sent (sequence −1, not counted) before measuring, so that the group has joined and fetches.</summary>
    public const int WarmupJobs = 200;

    /// <summary>
    /// Sends <see cref="WarmupJobs"/> through <paramref name="send"/> and waits until they ran, then <paramref name="total"/>
    /// jobs at <paramref name="rate"/>, and waits up to <paramref name="grace"/> for every one to start.
    /// <paramref name="send"/> gets the first sequence (−1 for warm-up jobs), the count and the enqueue timestamp,
    /// must not wait for the broker, and returns what completes when the batch is acknowledged. Also returns the
    /// process's CPU time per job from the start of the paced send until the last job started (the mock brokers and
    /// every client thread included, so idle fetching counts too).
    /// </summary>
    public static async Task<(LatencyResult Latency, double CpuMicrosPerJob)> MeasureAsync(JobProbe probe, int rate, int total, TimeSpan grace,
        Func<int, int, long, Task> send, CancellationToken cancellationToken)
    {
        var pending = new List<Task>();
        pending.Add(send(-1, WarmupJobs, Stopwatch.GetTimestamp()));
        if (!await UntilAsync(() => probe.Executions >= WarmupJobs, WarmupLimit, cancellationToken))
        {
            throw new TimeoutException($"the warm-up jobs did not run within {WarmupLimit.TotalSeconds} s");
        }
        var stamps = new long[total];
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var (seconds, maxLagMs) = await PacedBatchSend.RunAsync(rate, total, (first, count) =>
        {
            var stamp = Stopwatch.GetTimestamp();
            Array.Fill(stamps, stamp, first, count);
            pending.Add(send(first, count, stamp));
        }, cancellationToken);
        await UntilAsync(() => probe.Executions >= WarmupJobs + total, grace, cancellationToken);
        var end = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await Task.WhenAll(pending);
        return (PacedBatchSend.Summarize(rate, seconds, maxLagMs, probe, stamps, end), cpu.TotalMicroseconds / total);
    }

    private static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(start) > limit)
            {
                return false;
            }
            await Task.Delay(Poll, cancellationToken);
        }
        return true;
    }
}
