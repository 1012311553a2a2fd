using Courier.Dispatching.Execution;
using Courier.Dispatching.Monitoring;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Outcomes;

/// <summary>
/// Appends the records a job's outcome needs and waits until the log has them, retrying a failed write with back-off
/// for as long as the dispatcher runs: the job's offset is not committed until its outcome is durable, so a write
/// failure can delay a job but never lose it. Shared by the <see cref="OutcomeWriter"/> (retry, partitioned and
/// dead-letter records) and the outcome ledger (its batches of entries).
/// </summary>
internal sealed class DurableProducer(IJobLogProducer producer, JobDeadlines deadlines, CourierTelemetry telemetry, TimeProvider time,
    ILogger logger)
{
    private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestBackOff = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Appends <paramref name="records"/> (one produce call) until the log acknowledges them; each failure is logged
    /// at error as a <paramref name="kind"/> record of <paramref name="jobId"/>. False when shutdown gave up waiting.
    /// </summary>
    public async Task<bool> ProduceAsync(IReadOnlyList<OutgoingRecord> records, string kind, string? jobId)
    {
        var delay = FirstBackOff;
        while (true)
        {
            try
            {
                await producer.ProduceAsync(records, deadlines.AbortToken);
                return true;
            }
            catch (OperationCanceledException) when (deadlines.IsAborted)
            {
                return false;
            }
#pragma warning disable CA1031 // Any log failure is retried; it is logged at error each time.
            catch (Exception e)
#pragma warning restore CA1031
            {
                DispatcherLog.RouteFailed(logger, e, kind, jobId ?? "(undecodable)", records[0].Topic, delay);
                DispatcherMetrics.CountLogError(telemetry, "produce");
                try
                {
                    await Task.Delay(delay, time, deadlines.AbortToken);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestBackOff.Ticks));
            }
        }
    }
}
