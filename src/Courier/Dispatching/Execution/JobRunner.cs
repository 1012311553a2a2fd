using System.Diagnostics;
using System.Runtime.CompilerServices;
using Courier.Dispatching.Admission;
using Courier.Dispatching.Cancelling;
using Courier.Dispatching.Consuming;
using Courier.Dispatching.Monitoring;
using Courier.Dispatching.Outcomes;
using Courier.Dispatching.Routing;
using Courier.Jobs;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;
using static Courier.Dispatching.Outcomes.RecordHeaders;

namespace Courier.Dispatching.Execution;

/// <summary>
/// Runs records on the thread pool, handed over in batches of those ready (<see cref="StartBatch"/>), each to a durable outcome: counts its start, decodes it and checks its params
/// contract, forwards or delays it, asks the admission checks (<see cref="IJobAdmission"/>) whether it runs, executes it
/// within its timeout, and hands the result to the <see cref="OutcomeRouter"/>. Its completion goes back to the consumer thread through the <see cref="CompletionQueue"/>.
/// </summary>
internal sealed class JobRunner(JobGate gate, JobDeadlines deadlines, OutcomeWriter writer,
    OutcomeRouter outcomes, IReadOnlyList<IJobAdmission> admissions, Cancellations cancels, CompletionQueue completions, CourierTelemetry telemetry,
    TimeProvider time, ILogger logger)
{
    private StartBatch? _pending; // records started on the consumer thread, not yet handed over
    private readonly JobSlot.Pool _slots = new();
    private readonly AdmissionChecks _checks = new(admissions, deadlines.AbortToken);

    /// <summary>
    /// Takes a slot of the partition's budget and starts the record (consumer thread): it joins the batch handed to the
    /// thread pool at the next <see cref="Flush"/>, or at once when the batch is full (for a budget whose jobs start in
    /// order, its queue of waiting records instead);
    /// <paramref name="startedMs"/> is when its type's rate window counted the start (given back if it runs nothing).
    /// </summary>
    public void Start(PartitionState partition, LogRecord record, long startedMs)
    {
        partition.Budget.HandOver(record.Value.Length);
        if (partition.Route.Kind != RouteKind.Partitioner)
        {
            partition.Route.Type.SpendStart(); // the forwarding hop runs nothing: it spends no trial start
        }
        completions.Started(partition);
        if (partition.Budget.StartsInOrder)
        {
            partition.Budget.Waiting.Add(this, partition, record, startedMs); // one at a time, in the order taken
            return;
        }
        var batch = _pending ??= StartBatch.Rent(this);
        batch.Add(partition, record, startedMs);
        if (batch.IsFull)
        {
            Flush();
        }
    }

    /// <summary>True when started records wait in a batch not yet handed to the thread pool (consumer thread).</summary>
    public bool HasPending => _pending is not null;

    /// <summary>
    /// Hands the records started since the last flush to the thread pool as one work item (consumer thread). The
    /// consumer thread calls it as soon as no record is ready, and before it waits for anything.
    /// </summary>
    public void Flush()
    {
        if (_pending is { } batch)
        {
            _pending = null;
            batch.Queue();
        }
    }

    /// <summary>
    /// Runs one started record (a <see cref="StartBatch"/> worker) in a running slot of its budget, or parks it until
    /// one frees (<see cref="SlotWaiters"/>); returns at its first await.
    /// </summary>
    public void Run(PartitionState partition, LogRecord record, long startedMs)
    {
        if (partition.Releasing)
        {
            GiveBack(partition, record, startedMs);
        }
        else if (!partition.Route.Type.IsPausedByAnyone && partition.Budget.TryEnter())
        {
            RunInSlot(partition, record, startedMs);
        }
        else
        {
            partition.Budget.Waiting.Park(this, partition, record, startedMs);
        }
    }

    /// <summary>
    /// Gives back a record started on the consumer thread but never run, its partition being let go: its offset does
    /// not complete, so whoever reads the partition next runs it.
    /// </summary>
    public void GiveBack(PartitionState partition, LogRecord record, long startedMs)
    {
        GiveBackStart(partition.Route.Type, startedMs);
        completions.Finished(partition, record.Offset, done: false, record.Value.Length);
    }

    /// <summary>Runs a record whose running slot is taken; returns at its first await.</summary>
    public void RunInSlot(PartitionState partition, LogRecord record, long startedMs)
    {
        partition.Route.Type.InFlight.Increment();
        _ = ExecuteAsync(partition, record, startedMs);
    }

    private async Task ExecuteAsync(PartitionState partition, LogRecord record, long startedMs)
    {
        var done = false;
        var type = partition.Route.Type;
        var slot = _slots.Rent(partition, record.Value.Length, completions);
        try
        {
            done = await RunAndRouteAsync(partition, record, type, startedMs, slot);
        }
#pragma warning disable CA1031 // Reported; the record stays uncommitted and is redelivered after a restart.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DispatcherLog.LoopCrashed(logger, e);
        }
        finally
        {
            // Freed first, unless the outcome ledger gave it back already; then its count among the records handed over
            // goes back with the completion.
            completions.Finished(partition, record.Offset, done, _slots.Return(slot));
        }
    }

    /// <summary>Runs one record to a durable outcome. Returns false when the outcome is not durable (shutdown): the offset then stays uncommitted.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> RunAndRouteAsync(PartitionState partition, LogRecord record, TypeState type, long startedMs, JobSlot slot)
    {
        var kind = partition.Route.Kind;
        var isRetry = kind == RouteKind.Retry;
        var attempt = isRetry ? (int)(ReadLong(record, CourierHeaders.Attempts) ?? 1) : 1;
        var backpressures = (int)(ReadLong(record, CourierHeaders.BackpressureCount) ?? 0);
        // A probe is counted apart (TypeState.Probes*): it starts no job and is not one of the type's executions.
        var isProbe = record.GetHeader(CourierHeaders.Probe) is not null;
        // A job starts once: when first read from its job topic (for a partitioned rule that is the forwarding
        // hop, and its read from the partitioned topic is not a second start).
        if ((kind is RouteKind.Job or RouteKind.Partitioner) && !isProbe)
        {
            type.Started.Increment();
            if (record.GetHeader(CourierHeaders.ReplayOf) is not null)
            {
                // A replay is a new start of the job, counted on its own so a replay is never invisible.
                Interlocked.Increment(ref type.Replayed);
                telemetry.Replayed.Add(1, new KeyValuePair<string, object?>("job.type", type.Name));
            }
        }
        AdmissionRequest? admitted = null;
        var decoded = gate.DecodeRecord(record.Value);
        var jobEvent = decoded.Event;
        JobResult result;
        if (jobEvent is null)
        {
            result = decoded.ToJobResult();
        }
        else if (!string.Equals(jobEvent.Type, type.Name, StringComparison.Ordinal))
        {
            result = JobResult.Undecodable($"$.type: event of type '{jobEvent.Type}' on topic '{record.Topic}' of job type '{type.Name}'", DecodeReasons.Malformed);
        }
        else if (gate.Check(jobEvent) is { Passed: false } contract)
        {
            // The params contract is part of decoding: a job whose params break the schema of the version it names
            // (or whose version is unknown here) can never succeed on retry. This is the 2019 incident's failure,
            // caught before any handler runs and dead-lettered with the exact reason instead of retried.
            result = contract.ToJobResult();
        }
        else if (kind == RouteKind.Partitioner)
        {
            return await writer.ForwardToPartitionAsync(record, type, jobEvent);
        }
        else if ((!isRetry || record.GetHeader(CourierHeaders.FailureClass) is null)
            && jobEvent.DelayUntil is not null && JobDelayLimit.Check(jobEvent.DelayUntil, time.GetUtcNow()) is { } tooFar)
        {
            // Before the limit, such a job hopped through the tiers for as long as its date said (year 9999: forever).
            result = JobResult.Undecodable(tooFar, DecodeReasons.DelayTooFar);
        }
        else if ((!isRetry || record.GetHeader(CourierHeaders.FailureClass) is null)
            && jobEvent.DelayUntil is { } delayUntil && delayUntil > time.GetUtcNow())
        {
            // A delayed job waits in a retry tier, not in a sleeping worker (the original slept reenqueue_delay, then
            // re-produced the event). A delay longer than the largest tier takes several hops. One cancelled already
            // (known here without a store round trip) ends now rather than after its delay; the other admission
            // checks have not seen it, so they are not told.
            GiveBackStart(type, startedMs); // it runs nothing this time: its rate window's start goes to a job that does
            if (!isProbe && cancels.Find(jobEvent.Meta) is { } cancelled)
            {
                return await outcomes.SkipAsync(record, type, jobEvent, attempt, SkippedStates.Cancelled, cancelled.Because, slot) is not null;
            }
            if (!isRetry)
            {
                Interlocked.Increment(ref type.Delayed);
            }
            return await writer.WriteRetryAsync(record, type, jobEvent, attempt: 1, backpressures, delayUntil - time.GetUtcNow(),
                failure: null, message: null, kind: "delay");
        }
        else
        {
            var request = new AdmissionRequest(type, jobEvent, record, kind, attempt);
            if (!isProbe)
            {
                var verdict = await _checks.AdmitAsync(request);
                if (verdict != AdmissionVerdict.Run)
                {
                    GiveBackStart(type, startedMs); // it runs nothing: its rate window's start goes to a job that does
                }
                if (verdict.Skipped is { } state)
                {
                    if (verdict.RetryReadAgain)
                    {
                        type.Started.Increment();
                    }
                    return await _checks.ToldAsync(request, await outcomes.SkipAsync(record, type, jobEvent, attempt, state, verdict.Reason ?? state, slot));
                }
                if (verdict.Wait is { } wait)
                {
                    // Not an outcome: the job waits in a retry tier on the same attempt and is checked again there.
                    DispatcherLog.Waiting(logger, jobEvent.Meta.Id, type.Name, attempt, wait, verdict.Reason ?? "waiting");
                    return await writer.WriteRetryAsync(record, type, jobEvent, attempt, backpressures, wait, failure: null,
                        message: verdict.Reason, kind: "wait", claim: verdict.Claim);
                }
                admitted = request;
            }
            // A probe's result is what counts (OutcomeRouter): its delay and duration are not the type's. Neither
            // histogram reads the clock while no one listens to it.
            if ((kind is RouteKind.Job or RouteKind.Partitioned) && !isProbe && telemetry.StartDelay.Enabled)
            {
                // meta.dt is the producer's clock: one ahead of ours (skew, or a year 9999 typo) made a negative
                // observation that dragged the histogram's sum, and every average over it, below zero. Clamped.
                telemetry.StartDelay.Record(Math.Max(0, (time.GetUtcNow() - jobEvent.Meta.Dt).TotalSeconds), new KeyValuePair<string, object?>("job.type", type.Name));
            }
            if (!isProbe)
            {
                type.Executions.Increment();
            }
            var started = time.GetTimestamp();
            (result, var cancelledBecause) = await ExecuteOnceAsync(record, jobEvent, type, attempt, isProbe, started);
            if (cancelledBecause is not null && admitted is { } stopped)
            {
                // An operator's cancel stopped it: a terminal state of its own, neither retried nor dead-lettered.
                return await _checks.ToldAsync(stopped, await outcomes.SkipAsync(record, type, jobEvent, attempt, SkippedStates.Cancelled,
                    "stopped while running: " + cancelledBecause, slot));
            }
            if (deadlines.IsAborted && !result.IsSuccess)
            {
                if (admitted is { } unfinished)
                {
                    await _checks.UnfinishedAsync(unfinished);
                }
                return false; // cancelled by shutdown: not an outcome; redelivered after restart
            }
            if (!isProbe && telemetry.Duration.Enabled)
            {
                telemetry.Duration.Record(time.GetElapsedTime(started).TotalSeconds,
                    new KeyValuePair<string, object?>("job.type", type.Name),
                    new KeyValuePair<string, object?>("outcome", result.IsSuccess ? "succeeded" : result.Failure!.Value.ToWireName()));
            }
        }
        var outcome = await outcomes.RouteAsync(record, type, jobEvent, attempt, backpressures, result, isProbe, slot);
        return admitted is { } ran ? await _checks.ToldAsync(ran, outcome) : outcome is not null;
    }

    /// <summary>Gives the start a record's type's rate window counted at <paramref name="startedMs"/> back (it ran nothing).</summary>
    private void GiveBackStart(TypeState type, long startedMs)
    {
        if (type.Rate is { } rate)
        {
            rate.GiveBack(startedMs, time.GetUtcNow().ToUnixTimeMilliseconds());
        }
    }

    /// <summary>
    /// The execution's activity, a child of the trace context the record carries (the enqueuing operation's, written
    /// by the client and carried on by retries); nothing is parsed or allocated when no one listens.
    /// </summary>
    private Activity? StartActivity(LogRecord record, TypeState type, int attempt)
    {
        var source = telemetry.ActivitySource;
        if (!source.HasListeners())
        {
            return null;
        }
        var activity = source.StartActivity("process " + type.Name, ActivityKind.Consumer, TraceHeaders.ParentOf(record));
        activity?.SetTag("messaging.destination.name", type.JobTopic);
        activity?.SetTag("job.type", type.Name);
        activity?.SetTag("courier.job.attempt", attempt);
        return activity;
    }

    /// <summary>
    /// Executes the job once under its clock, named by the job's id (not a probe's) so a cancel can fire its token.
    /// Returns its result, and why an operator cancelled it when that stopped it (null when it succeeded anyway).
    /// One async method for the clock and the execution: every layer of them costs every job a state machine.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(JobResult Result, string? CancelledBecause)> ExecuteOnceAsync(LogRecord record, JobEvent jobEvent, TypeState type,
        int attempt, bool isProbe, long started)
    {
        var deadline = deadlines.Start(type.Rule.Timeout, isProbe ? null : jobEvent.Meta, started);
        if (!isProbe && cancels.Find(jobEvent.Meta) is { } cancelled)
        {
            // Cancelled between its admission check and the start of its clock: the cancel found nothing to fire.
            deadline.Cancel(jobEvent.Meta.Id, cancelled.Because, out _);
        }
        try
        {
            using var activity = StartActivity(record, type, attempt);
            var inFlightTag = new KeyValuePair<string, object?>("job.type", type.Name);
            telemetry.InFlight.Add(1, inFlightTag);
            JobResult result;
            try
            {
                result = await type.Executor.ExecuteAsync(NewExecution(record, jobEvent, type, attempt, isProbe), deadline.Token);
                if (!result.IsSuccess && deadline.TimedOut && result.Failure == FailureClass.Retryable)
                {
                    result = JobResult.Retry($"timed out after {type.Rule.Timeout}: {result.Message}");
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                result = JobResult.Retry($"timed out after {type.Rule.Timeout}");
            }
#pragma warning disable CA1031 // Executors should not throw; if one does, its exception is the job's outcome.
            catch (Exception e)
#pragma warning restore CA1031
            {
                result = JobResult.FromException(e);
            }
            finally
            {
                telemetry.InFlight.Add(-1, inFlightTag);
            }
            Traced(activity, result);
            return (result, result.IsSuccess ? null : deadline.CancelReason);
        }
        finally
        {
            deadlines.Finish(deadline);
        }
    }

    /// <summary>What the executor is given: the event, the record's bytes and the attempt's context.</summary>
    private static JobExecution NewExecution(LogRecord record, JobEvent jobEvent, TypeState type, int attempt, bool isProbe) => new()
    {
        Event = jobEvent,
        RawEvent = record.Value,
        Context = new JobContext
        {
            Attempt = attempt,
            Topic = type.JobTopic,
            Source = record.Position,
            Timeout = type.Rule.Timeout,
            IsProbe = isProbe,
            Held = RecordHeaders.Text(record, CourierHeaders.Held),
        },
    };

    /// <summary>Marks a failed attempt's activity as an error, with its failure class.</summary>
    private static void Traced(Activity? activity, JobResult result)
    {
        if (activity is not null && !result.IsSuccess)
        {
            activity.SetStatus(ActivityStatusCode.Error, result.Failure!.Value.ToWireName());
        }
    }
}
