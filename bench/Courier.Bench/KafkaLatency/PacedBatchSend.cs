using System.Diagnostics;

namespace Courier.Bench.KafkaLatency;

/// <summary>
/// The open-loop sender of the Kafka start-latency section: job i is due at start + i/rate; every tick of a 1 ms
/// <see cref="PeriodicTimer"/> hands the jobs now due to one send call, which must not wait for the broker (the
/// caller collects what it returns and awaits it at the end), so a slow acknowledgement never lowers the offered load.
/// </summary>
internal static class PacedBatchSend
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Sends <paramref name="total"/> jobs at <paramref name="rate"/> per second: <paramref name="send"/> gets the first
    /// sequence number of the batch and its size. Returns the seconds sending took and the furthest the sender fell
    /// behind its schedule, in milliseconds.
    /// </summary>
    public static async Task<(double Seconds, double MaxLagMs)> RunAsync(int rate, int total, Action<int, int> send, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Tick);
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        long maxLag = 0;
        while (sent < total)
        {
            var now = Stopwatch.GetTimestamp();
            var due = (int)Math.Min(total, ((now - start) * rate / Stopwatch.Frequency) + 1);
            if (due > sent)
            {
                maxLag = Math.Max(maxLag, now - (start + (sent * Stopwatch.Frequency / rate)));
                send(sent, due - sent);
                sent = due;
            }
            if (sent < total)
            {
                await timer.WaitForNextTickAsync(cancellationToken);
            }
        }
        return (Stopwatch.GetElapsedTime(start).TotalSeconds, maxLag * 1000.0 / Stopwatch.Frequency);
    }

    /// <summary>
    /// The figures of one run from the start delays <paramref name="probe"/> recorded for each job sent (one stamp each in <paramref name="sendStamps"/>); a job that
    /// never started counts with its wait until <paramref name="end"/> from <paramref name="sendStamps"/> (a lower bound).
    /// The send calls do not wait for the broker, so <see cref="LatencyResult.MeanEnqueueMs"/> is not measured here (0).
    /// </summary>
    public static LatencyResult Summarize(int rate, double seconds, double maxLagMs, JobProbe probe, long[] sendStamps, long end) =>
        PacedSend.Summarize(rate, sendStamps, seconds, i => probe.StartDelay(i), probe.Duplicates, end, maxLagMs, meanEnqueueMs: 0);
}
