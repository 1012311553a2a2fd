using Courier.Dispatching.Monitoring;
using Courier.Dispatching.Routing;
using Courier.Jobs;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Outcomes;

/// <summary>
/// Turns a job's result into its terminal or next state: succeeded, ignored by its rule, a retry (an attempt
/// spent), a backpressure wait (none spent), or a dead letter — each counted and logged once it is durable, with the
/// <paramref name="release"/> that ran it (<see cref="CourierOptions.Release"/>).
/// </summary>
internal sealed class OutcomeRouter(OutcomeWriter writer, DispatcherOptions options, CourierTelemetry telemetry, string release, ILogger logger)
{
    /// <summary>Routes a result. Returns false when the outcome could not be made durable (shutdown).</summary>
    public async Task<bool> RouteAsync(LogRecord record, TypeState type, JobEvent? jobEvent, int attempt, int backpressures, JobResult result)
    {
        var jobId = jobEvent?.Meta.Id ?? "(undecodable)";
        if (result.IsSuccess)
        {
            Interlocked.Increment(ref type.Succeeded);
            DispatcherMetrics.CountOutcome(telemetry, type.Name, "succeeded", null, release);
            return true;
        }
        var failure = result.Failure!.Value;
        if (failure != FailureClass.Decode && type.Rule.Ignore.Contains(failure))
        {
            DispatcherLog.Ignored(logger, jobId, type.Name, failure.ToWireName(), release, result.Message);
            Interlocked.Increment(ref type.Ignored);
            DispatcherMetrics.CountOutcome(telemetry, type.Name, "ignored", failure, release);
            return true;
        }
        switch (failure)
        {
            case FailureClass.Retryable when attempt <= type.Rule.Retry.Limit:
            {
                var delay = type.Rule.Retry.DelayFor(attempt);
                DispatcherLog.Retrying(logger, jobId, type.Name, attempt, failure.ToWireName(), release, attempt, type.Rule.Retry.Limit, delay, result.Message);
                if (!await writer.WriteRetryAsync(record, type, jobEvent, attempt + 1, backpressures, delay, failure, result.Message, kind: "retry"))
                {
                    return false;
                }
                Interlocked.Increment(ref type.Retried);
                telemetry.Retries.Add(1, new KeyValuePair<string, object?>("job.type", type.Name), new KeyValuePair<string, object?>("failure.class", failure.ToWireName()));
                DispatcherMetrics.CountOutcome(telemetry, type.Name, "retried", failure, release);
                return true;
            }
            case FailureClass.Backpressure when backpressures < options.MaxBackpressureWaits:
            {
                var delay = result.RetryAfter is { } after && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(30);
                DispatcherLog.Backpressure(logger, jobId, type.Name, failure.ToWireName(), release, delay, result.Message);
                // Backpressure spends no attempt: the original re-counted read-only retries the same way (T204154).
                if (!await writer.WriteRetryAsync(record, type, jobEvent, attempt, backpressures + 1, delay, failure, result.Message, kind: "backpressure"))
                {
                    return false;
                }
                Interlocked.Increment(ref type.Backpressured);
                DispatcherMetrics.CountOutcome(telemetry, type.Name, "backpressure", failure, release);
                return true;
            }
            default:
                return await DeadLetterAsync(record, type, jobEvent, jobId, attempt, failure, result);
        }
    }

    private async Task<bool> DeadLetterAsync(LogRecord record, TypeState type, JobEvent? jobEvent, string jobId, int attempt,
        FailureClass failure, JobResult result)
    {
        if (failure == FailureClass.Decode)
        {
            DispatcherLog.DecodeFailed(logger, record.Position.ToString(), jobId, type.Name, result.DecodeReason ?? DecodeReasons.Executor, release, result.Message);
        }
        else
        {
            DispatcherLog.DeadLettered(logger, jobId, type.Name, attempt, failure.ToWireName(), release, result.Message);
        }
        if (!await writer.WriteDeadLetterAsync(record, type, jobEvent, attempt, failure, result.Message))
        {
            return false;
        }
        type.CountDeadLetter(failure);
        telemetry.DeadLetters.Add(1, new KeyValuePair<string, object?>("job.type", type.Name), new KeyValuePair<string, object?>("failure.class", failure.ToWireName()));
        if (failure == FailureClass.Decode)
        {
            telemetry.DecodeFailures.Add(1, new KeyValuePair<string, object?>("job.type", type.Name),
                new KeyValuePair<string, object?>("reason", result.DecodeReason ?? DecodeReasons.Executor));
        }
        DispatcherMetrics.CountOutcome(telemetry, type.Name, "dead_lettered", failure, release);
        return true;
    }
}
