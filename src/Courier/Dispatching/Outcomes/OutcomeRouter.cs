using System.Diagnostics;
using System.Runtime.CompilerServices;
using Courier.Dispatching.Execution;
using Courier.Dispatching.Ledger;
using Courier.Dispatching.Monitoring;
using Courier.Dispatching.Routing;
using Courier.Jobs;
using Courier.Ledger;
using Microsoft.Extensions.Logging;

namespace Courier.Dispatching.Outcomes;

/// <summary>
/// Turns a job's result into its terminal or next state: succeeded, ignored by its rule, a retry (an attempt
/// spent), a backpressure wait (none spent), or a dead letter — each counted and logged once it is durable, with the
/// release that ran it (the executor's when it announced one, else <paramref name="dispatcherRelease"/>).
/// </summary>
/// <remarks>
/// Every durable outcome is then told to the <paramref name="listeners"/> (breaker, history, probes). A terminal one
/// (<see cref="LedgerOutcomes"/>) of a job, not a probe, is first appended to the <paramref name="ledger"/> when there is
/// one: it is durable only once its entry is.
/// </remarks>
internal sealed class OutcomeRouter(OutcomeWriter writer, OutcomeLedger? ledger, DispatcherOptions options, CourierTelemetry telemetry,
    string dispatcherRelease, IReadOnlyList<IOutcomeListener> listeners, TimeProvider time, ILogger logger)
{
    /// <summary>The outcome of a failed synthetic probe.</summary>
    public const string ProbeFailed = "probe_failed";

    /// <summary>
    /// Routes a result (<paramref name="isProbe"/>: the record carries <see cref="CourierHeaders.Probe"/>, as the caller
    /// read it). Returns the outcome's name once it is durable, or null when it could not be made durable (shutdown).
    /// The job's <paramref name="slot"/> may be given back while its ledger entry is written.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<string?> RouteAsync(LogRecord record, TypeState type, JobEvent? jobEvent, int attempt, int backpressures, JobResult result,
        bool isProbe, JobSlot slot)
    {
        var release = result.Release ?? dispatcherRelease;
        var routed = isProbe
            ? RouteProbe(type, jobEvent, result, release)
            : await RouteCoreAsync(record, type, jobEvent, attempt, backpressures, result, release, slot);
        if (routed is { } outcome)
        {
            Tell(new OutcomeSample(type.Name, outcome, result.Failure, result.Message, release, isProbe, time.GetUtcNow(),
                RecordHeaders.Text(record, CourierHeaders.ReplayOf)));
        }
        return routed;
    }

    /// <summary>
    /// Ends a job without running it, in <paramref name="state"/> (a <see cref="Admission.SkippedStates"/> name): counted
    /// per type and as an outcome, and logged (a warning when it was abandoned or cancelled: work that never happened).
    /// Nothing is written but its ledger entry (when the ledger is on); the offset completes. Returns
    /// <paramref name="state"/> once that is durable, or null when it could not be made durable (shutdown).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<string?> SkipAsync(LogRecord record, TypeState type, JobEvent jobEvent, int attempt, string state, string reason,
        JobSlot slot)
    {
        if (!await LedgerAsync(record, type, jobEvent, state, null, attempt, dispatcherRelease, slot))
        {
            return null;
        }
        var level = state is Admission.SkippedStates.Abandoned or Admission.SkippedStates.Cancelled ? LogLevel.Warning : LogLevel.Information;
        DispatcherLog.Skipped(logger, level, jobEvent.Meta.Id, type.Name, attempt, state, reason);
        type.CountSkipped(state);
        DispatcherMetrics.CountOutcome(telemetry, type.Name, state, null, dispatcherRelease);
        Tell(new OutcomeSample(type.Name, state, null, reason, dispatcherRelease, false, time.GetUtcNow(),
            RecordHeaders.Text(record, CourierHeaders.ReplayOf)));
        return state;
    }

    /// <summary>
    /// Appends a terminal outcome's ledger entry and waits until it is durable; true at once when the ledger is off,
    /// false when shutdown gave up writing it (the outcome is then not durable).
    /// </summary>
    private Task<bool> LedgerAsync(LogRecord record, TypeState type, JobEvent? jobEvent, string outcome, FailureClass? failure, int attempt,
        string release, JobSlot slot) =>
        ledger is null ? Task.FromResult(true) : ledger.AppendAsync(record, type, jobEvent, outcome, failure, attempt, release, slot);

    private void Tell(in OutcomeSample sample)
    {
        for (var i = 0; i < listeners.Count; i++) // not foreach: an interface's enumerator is an allocation a job
        {
            listeners[i].Observe(sample);
        }
    }

    /// <summary>
    /// The job's id for a log line or a record, read only where one is written: a decoded job's id becomes a string on
    /// first use, and a job that succeeds never needs it.
    /// </summary>
    private static string IdOf(JobEvent? jobEvent) => jobEvent?.Meta.Id ?? "(undecodable)";

    /// <summary>Routes a result; the outcome's name once it is durable, null when it could not be made durable (shutdown).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<string?> RouteCoreAsync(LogRecord record, TypeState type, JobEvent? jobEvent, int attempt, int backpressures,
        JobResult result, string release, JobSlot slot)
    {
        if (result.IsSuccess)
        {
            if (!await LedgerAsync(record, type, jobEvent, LedgerOutcomes.Succeeded, null, attempt, release, slot))
            {
                return null;
            }
            type.Succeeded.Increment();
            DispatcherMetrics.CountOutcome(telemetry, type.Name, LedgerOutcomes.Succeeded, null, release);
            return LedgerOutcomes.Succeeded;
        }
        var failure = result.Failure!.Value;
        if (failure != FailureClass.Decode && type.Rule.Ignore.Contains(failure))
        {
            if (!await LedgerAsync(record, type, jobEvent, LedgerOutcomes.Ignored, failure, attempt, release, slot))
            {
                return null;
            }
            DispatcherLog.Ignored(logger, IdOf(jobEvent), type.Name, failure.ToWireName(), release, result.Message);
            Interlocked.Increment(ref type.Ignored);
            DispatcherMetrics.CountOutcome(telemetry, type.Name, LedgerOutcomes.Ignored, failure, release);
            return LedgerOutcomes.Ignored;
        }
        if (failure != FailureClass.Backpressure && HoldReason(type, result) is { } hold)
        {
            return await HoldAsync(record, type, jobEvent, IdOf(jobEvent), attempt, backpressures, failure, result.Message, release, hold)
                ? "held" : null;
        }
        switch (failure)
        {
            case FailureClass.Retryable when attempt <= type.Rule.Retry.Limit:
            {
                var delay = type.Rule.Retry.DelayFor(attempt);
                DispatcherLog.Retrying(logger, IdOf(jobEvent), type.Name, attempt, failure.ToWireName(), release, attempt, type.Rule.Retry.Limit, delay, result.Message);
                if (!await writer.WriteRetryAsync(record, type, jobEvent, attempt + 1, backpressures, delay, failure, result.Message, kind: "retry", release))
                {
                    return null;
                }
                Interlocked.Increment(ref type.Retried);
                telemetry.Retries.Add(1, new KeyValuePair<string, object?>("job.type", type.Name), new KeyValuePair<string, object?>("failure.class", failure.ToWireName()));
                DispatcherMetrics.CountOutcome(telemetry, type.Name, "retried", failure, release);
                return "retried";
            }
            case FailureClass.Backpressure when backpressures < options.MaxBackpressureWaits:
            {
                var delay = result.RetryAfter is { } after && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(30);
                DispatcherLog.Backpressure(logger, IdOf(jobEvent), type.Name, failure.ToWireName(), release, delay, result.Message);
                // Backpressure spends no attempt: the original re-counted read-only retries the same way (T204154).
                if (!await writer.WriteRetryAsync(record, type, jobEvent, attempt, backpressures + 1, delay, failure, result.Message, kind: "backpressure", release))
                {
                    return null;
                }
                Interlocked.Increment(ref type.Backpressured);
                DispatcherMetrics.CountOutcome(telemetry, type.Name, "backpressure", failure, release);
                return "backpressure";
            }
            default:
                return await DeadLetterAsync(record, type, jobEvent, IdOf(jobEvent), attempt, failure, result, release, slot) ? LedgerOutcomes.DeadLettered : null;
        }
    }

    /// <summary>
    /// A synthetic probe's result: counted (its type's probe counts, <c>courier.probes.results</c>, and a failure as
    /// outcome <c>probe_failed</c>) and committed. A probe is never retried, held or dead-lettered, and not counted
    /// among the type's jobs.
    /// </summary>
    private string RouteProbe(TypeState type, JobEvent? jobEvent, JobResult result, string release)
    {
        var tags = new TagList { { "job.type", type.Name }, { "release", release } };
        if (result.IsSuccess)
        {
            Interlocked.Increment(ref type.ProbesSucceeded);
            tags.Add("result", "succeeded");
            telemetry.ProbeResults.Add(1, tags);
            return "succeeded";
        }
        var failure = result.Failure!.Value;
        DispatcherLog.ProbeFailed(logger, IdOf(jobEvent), type.Name, failure.ToWireName(), release, result.Message);
        Interlocked.Increment(ref type.ProbesFailed);
        tags.Add("result", "failed");
        telemetry.ProbeResults.Add(1, tags);
        DispatcherMetrics.CountOutcome(telemetry, type.Name, ProbeFailed, failure, release);
        return ProbeFailed;
    }

    /// <summary>
    /// Why this failure is not held against the job (a <see cref="CourierHeaders.Held"/> value), or null when it
    /// follows its rule. A held failure spends no attempt and is never dead-lettered: the job waits in the retry tier.
    /// </summary>
    private static string? HoldReason(TypeState type, JobResult result) =>
        // canary: the canary runners failed it, its retry runs on stable; breaker: the type's breaker is open or half-open
        result.HeldBy ?? (type.Breaker is { HoldsFailures: true } ? "breaker" : null);

    /// <summary>
    /// A failure not held against the job: a retry record on the shortest tier with the same attempt number, marked
    /// with why (<paramref name="reason"/>). When the type is paused its retry tiers are too, so it runs after the resume.
    /// </summary>
    private async Task<bool> HoldAsync(LogRecord record, TypeState type, JobEvent? jobEvent, string jobId, int attempt, int backpressures,
        FailureClass failure, string? message, string release, string reason)
    {
        DispatcherLog.Held(logger, jobId, type.Name, attempt, failure.ToWireName(), release, reason, message);
        if (!await writer.WriteRetryAsync(record, type, jobEvent, attempt, backpressures, TimeSpan.Zero, failure, message, kind: "held", release, held: reason))
        {
            return false;
        }
        Interlocked.Increment(ref type.Held);
        DispatcherMetrics.CountOutcome(telemetry, type.Name, "held", failure, release);
        return true;
    }

    private async Task<bool> DeadLetterAsync(LogRecord record, TypeState type, JobEvent? jobEvent, string jobId, int attempt,
        FailureClass failure, JobResult result, string release, JobSlot slot)
    {
        if (failure == FailureClass.Decode)
        {
            DispatcherLog.DecodeFailed(logger, record.Position.ToString(), jobId, type.Name, result.DecodeReason ?? DecodeReasons.Executor, release, result.Message);
        }
        else
        {
            DispatcherLog.DeadLettered(logger, jobId, type.Name, attempt, failure.ToWireName(), release, result.Message);
        }
        if (!await writer.WriteDeadLetterAsync(record, type, jobEvent, attempt, failure, result.Message, release)
            || !await LedgerAsync(record, type, jobEvent, LedgerOutcomes.DeadLettered, failure, attempt, release, slot))
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
        DispatcherMetrics.CountOutcome(telemetry, type.Name, LedgerOutcomes.DeadLettered, failure, release);
        return true;
    }
}
