using System.Diagnostics;

namespace Courier.Bench;

/// <summary>
/// The open-loop sender of the latency runs: job i is due at start + i/rate whatever happened to earlier jobs, a
/// <see cref="PeriodicTimer"/> tick sends every job now due, one enqueue call per job, and a slow call makes the
/// sender fall behind rather than lower the offered load. Also turns the start delays into a <see cref="LatencyResult"/>.
/// </summary>
internal sealed class PacedSend
{
    private PacedSend(long[] sendStamps, double sendSeconds, long maxLagTicks, long enqueueTicks)
    {
        SendStamps = sendStamps;
        SendSeconds = sendSeconds;
        MaxLagTicks = maxLagTicks;
        EnqueueTicks = enqueueTicks;
    }

    /// <summary>Stopwatch timestamp at which each job was sent.</summary>
    public long[] SendStamps { get; }

    public double SendSeconds { get; }

    public long MaxLagTicks { get; }

    public long EnqueueTicks { get; }

    /// <summary>Sends <paramref name="total"/> jobs at <paramref name="rate"/> per second; <paramref name="enqueueOne"/> gets (sequence, timestamp).</summary>
    public static async Task<PacedSend> RunAsync(int rate, int total, Func<long, long, CancellationToken, ValueTask> enqueueOne, CancellationToken cancellationToken)
    {
        var sendStamps = new long[total];
        var period = TimeSpan.FromMilliseconds(Math.Max(1, 1000.0 / rate));
        using var timer = new PeriodicTimer(period);
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        long maxLag = 0;
        long enqueueTicks = 0;
        while (sent < total)
        {
            var elapsed = Stopwatch.GetTimestamp() - start;
            var due = (int)Math.Min(total, (elapsed * rate / Stopwatch.Frequency) + 1);
            while (sent < due)
            {
                var stamp = Stopwatch.GetTimestamp();
                maxLag = Math.Max(maxLag, stamp - (start + (sent * Stopwatch.Frequency / rate)));
                sendStamps[sent] = stamp;
                await enqueueOne(sent, stamp, cancellationToken);
                enqueueTicks += Stopwatch.GetTimestamp() - stamp;
                sent++;
            }
            if (sent < total)
            {
                await timer.WaitForNextTickAsync(cancellationToken);
            }
        }
        return new PacedSend(sendStamps, Stopwatch.GetElapsedTime(start).TotalSeconds, maxLag, enqueueTicks);
    }

    /// <summary>
    /// The latency figures: <paramref name="startDelay"/> gives job i's delay in Stopwatch ticks, or null if it never
    /// started (it then counts with its wait until <paramref name="end"/>, a lower bound).
    /// </summary>
    public LatencyResult Summarize(int rate, Func<int, long?> startDelay, long duplicates, long end) =>
        Summarize(rate, SendStamps, SendSeconds, startDelay, duplicates, end, Milliseconds(MaxLagTicks), Milliseconds(EnqueueTicks) / SendStamps.Length);

    /// <summary>
    /// The latency figures of any paced sender: job i was sent at <paramref name="sendStamps"/>[i];
    /// <paramref name="startDelay"/> gives its delay in Stopwatch ticks, or null if it never started (it then counts
    /// with its wait until <paramref name="end"/>, a lower bound).
    /// </summary>
    internal static LatencyResult Summarize(int rate, long[] sendStamps, double sendSeconds, Func<int, long?> startDelay, long duplicates,
        long end, double maxSendLagMs, double meanEnqueueMs)
    {
        var total = sendStamps.Length;
        var delays = new double[total];
        var started = 0;
        for (var i = 0; i < total; i++)
        {
            var delay = startDelay(i);
            started += delay is null ? 0 : 1;
            delays[i] = Milliseconds(delay ?? end - sendStamps[i]);
        }
        Array.Sort(delays);
        return new LatencyResult
        {
            TargetRate = rate,
            SentRate = total / sendSeconds,
            Sent = total,
            Started = started,
            Duplicates = duplicates,
            P50Ms = Percentile(delays, 0.50),
            P95Ms = Percentile(delays, 0.95),
            P99Ms = Percentile(delays, 0.99),
            MaxMs = delays[^1],
            MeanMs = delays.Average(),
            MaxSendLagMs = maxSendLagMs,
            MeanEnqueueMs = meanEnqueueMs,
        };
    }

    internal static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
