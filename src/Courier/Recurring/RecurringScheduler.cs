using Courier.Dispatching.Monitoring;
using System.Globalization;
using Courier.Jobs;
using Courier.State;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;

namespace Courier.Recurring;

/// <summary>
/// Enqueues the dispatcher's recurring jobs (<see cref="DispatcherOptions.Recurring"/>) at their ticks, through the
/// dispatcher's producer and on its clock (timers on the <see cref="TimeProvider"/>). Each tick is claimed in the shared
/// state store with set-if-absent on <c>recurring:&lt;name&gt;:&lt;tick-unix-seconds&gt;</c>, so among dispatchers
/// sharing a store exactly one enqueues it; the latest enqueued tick is kept under <c>recurring:&lt;name&gt;:last</c>
/// (a max) and missed ticks are caught up by the job's <see cref="CatchUp"/> policy.
/// </summary>
/// <remarks>
/// The job's <c>meta.id</c> is derived from the name and the tick, so a tick enqueued twice (a crash between the write
/// and the claim's bookkeeping, or the store unreachable) is the same job to event-id deduplication. Without a store
/// (or while it fails: fail open) each dispatcher claims ticks for itself alone, and a restart forgets the last tick.
/// </remarks>
internal sealed class RecurringScheduler(IReadOnlyList<RecurringJob> jobs, JobEventCodec codec, CourierOptions options,
    IJobStateStore? store, CourierTelemetry telemetry, TimeProvider time, ILogger logger) : IDisposable
{
    /// <summary>How long <c>recurring:&lt;name&gt;:last</c> is kept after its latest write.</summary>
    private static readonly TimeSpan LastTickTtl = TimeSpan.FromDays(90);

    private readonly IReadOnlyList<RecurringSchedule> _schedules = [.. jobs.Select(j => new RecurringSchedule(j))];
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    /// <summary>Every recurring job with its last and next tick, ordered by name.</summary>
    public IReadOnlyList<RecurringStatus> Snapshot()
    {
        var now = time.GetUtcNow();
        return [.. _schedules.Select(s => s.Status(now)).OrderBy(s => s.Name, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Refuses a recurring job this dispatcher could not run: its type neither one it consumes nor matched by a pattern
    /// rule, or its params refused by the type's params schema. Throws <see cref="ArgumentException"/> naming the job.
    /// </summary>
    public static void Check(JobGate gate, CourierOptions options, DispatcherOptions dispatcher, DateTimeOffset now)
    {
        var types = dispatcher.AllJobTypes();
        foreach (var job in dispatcher.Recurring)
        {
            if (!types.Contains(job.Type) && !dispatcher.PatternRules.Any(p => p.Matches(options.Topics.JobTopic(job.Type))))
            {
                throw new ArgumentException($"recurring job '{job.Name}': job type '{job.Type}' is not one this dispatcher consumes "
                    + $"(known: {string.Join(", ", types.Order(StringComparer.Ordinal))}; or a pattern rule's)", nameof(dispatcher));
            }
            if (gate.Check(EventOf(job, now, options, now)) is { Passed: false } refused)
            {
                throw new ArgumentException(
                    $"recurring job '{job.Name}': params would never pass the gate ({refused.Reason}): {refused.Error}", nameof(dispatcher));
            }
        }
    }

    /// <summary>Starts one loop per recurring job on <paramref name="producer"/>.</summary>
    public void Start(IJobLogProducer producer)
    {
        if (_schedules.Count == 0)
        {
            return;
        }
        if (store is null)
        {
            RecurringLog.NoStore(logger);
        }
        _running = Task.WhenAll(_schedules.Select(s => Task.Run(() => RunAsync(producer, s, _stop.Token), CancellationToken.None)));
    }

    /// <summary>Stops; completes when no enqueue is under way. Idempotent.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }
        await _running.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(IJobLogProducer producer, RecurringSchedule schedule, CancellationToken stop)
    {
        var from = time.GetUtcNow();
        var firstPass = true;
        try
        {
            while (true)
            {
                var now = time.GetUtcNow();
                try
                {
                    from = await PassAsync(producer, schedule, from, now, firstPass, stop);
                    firstPass = false;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // Logged; the schedule must not die with one pass: its ticks are looked at again at the next.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    RecurringLog.PassFailed(logger, e, schedule.Job.Name);
                }
                if (schedule.Next(now) is not { } next)
                {
                    schedule.Checked(now);
                    return; // the expression has no more ticks
                }
                // The timer is set before the pass is published, so a clock moved after it is seen by the timer.
                var wait = Task.Delay(next - now, time, stop);
                schedule.Checked(now);
                await wait.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped with the dispatcher.
        }
    }

    /// <summary>
    /// Enqueues what is due between <paramref name="from"/> and <paramref name="now"/> by the catch-up policy; returns
    /// where the next pass starts (unchanged when a write failed, so its tick is tried again).
    /// </summary>
    private async Task<DateTimeOffset> PassAsync(IJobLogProducer producer, RecurringSchedule schedule, DateTimeOffset from,
        DateTimeOffset now, bool firstPass, CancellationToken stop)
    {
        // What any dispatcher enqueued last; at the first pass, the ticks after it were missed while none ran.
        if (await ReadLastAsync(schedule, stop) is { } last)
        {
            schedule.Saw(last);
        }
        if (schedule.LastTick is { } known && (firstPass || known > from))
        {
            from = known;
        }
        var due = schedule.Due(from, now);
        var chosen = schedule.ToEnqueue(due, firstPass);
        if (due.Count > 1 || (firstPass && due.Count > 0))
        {
            RecurringLog.CaughtUp(logger, schedule.Job.Name, firstPass ? due.Count : due.Count - 1, due[0], due[^1],
                schedule.Job.CatchUp.ToString().ToLowerInvariant(), chosen.Count);
        }
        var done = true;
        foreach (var tick in chosen)
        {
            done &= await ClaimAndEnqueueAsync(producer, schedule, tick, stop);
        }
        if (!done || due.Count == 0)
        {
            return from;
        }
        schedule.Saw(due[^1]);
        return due[^1];
    }

    /// <summary>Claims <paramref name="tick"/> and enqueues its job when the claim is this dispatcher's; false when the write failed.</summary>
    private async Task<bool> ClaimAndEnqueueAsync(IJobLogProducer producer, RecurringSchedule schedule, DateTimeOffset tick, CancellationToken stop)
    {
        var name = schedule.Job.Name;
        var claim = $"recurring:{name}:{tick.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        if (!await StoreAsync(name, "claim", s => s.TryAddAsync(claim, _owner, schedule.ClaimTtl(tick), stop), fallback: true))
        {
            return true; // another dispatcher has it
        }
        var jobEvent = EventOf(schedule.Job, tick, options, time.GetUtcNow());
        try
        {
            await producer.ProduceAsync([new OutgoingRecord(options.Topics.JobTopic(schedule.Job.Type), jobEvent.Database, codec.Encode(jobEvent))], stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Logged; the claim is given back so the tick is tried again, here or by another dispatcher.
        catch (Exception e)
#pragma warning restore CA1031
        {
            RecurringLog.EnqueueFailed(logger, e, name, tick);
            await StoreAsync(name, "release", s => s.DeleteAsync(claim, _owner, stop), fallback: false);
            return false;
        }
        // Seen before counted, so a status that shows the job enqueued also shows its tick as the last one (the pass
        // records its latest due tick again after the loop; the latest is kept).
        schedule.Saw(tick);
        schedule.CountEnqueued();
        RecurringLog.Enqueued(logger, name, schedule.Job.Type, jobEvent.Meta.Id, tick);
        await StoreAsync(name, "last", s => s.MaxAsync(LastKey(name), tick.ToUnixTimeSeconds(), LastTickTtl, stop), fallback: null);
        return true;
    }

    private async Task<DateTimeOffset?> ReadLastAsync(RecurringSchedule schedule, CancellationToken stop)
    {
        var value = await StoreAsync(schedule.Job.Name, "read_last", s => s.GetAsync(LastKey(schedule.Job.Name), stop), fallback: null);
        return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;
    }

    /// <summary>Runs a store operation; <paramref name="fallback"/> without a store or when it fails (fail open: counted and logged).</summary>
    private async Task<T> StoreAsync<T>(string name, string operation, Func<IJobStateStore, ValueTask<T>> call, T fallback)
    {
        if (store is null)
        {
            return fallback;
        }
        try
        {
            return await call(store).ConfigureAwait(false);
        }
        catch (JobStateStoreException e)
        {
            DispatcherMetrics.CountStateError(telemetry, store.Name, "recurring_" + operation);
            RecurringLog.StoreFailed(logger, e, name, store.Name, operation);
            return fallback;
        }
    }

    private static string LastKey(string name) => $"recurring:{name}:last";

    /// <summary>The job of <paramref name="job"/> for <paramref name="tick"/>, written at <paramref name="now"/>.</summary>
    internal static JobEvent EventOf(RecurringJob job, DateTimeOffset tick, CourierOptions options, DateTimeOffset now) => new()
    {
        Schema = JobEventCodec.SchemaUri,
        Meta = new JobMeta
        {
            Id = job.JobIdFor(tick),
            Dt = now,
            Domain = job.Database,
            Producer = new ProducerInfo(options.ProducerName, options.ProducerVersion),
            ParamsVersion = options.ParamsSchemas?.GetLatest(job.Type)?.VersionText,
        },
        Database = job.Database,
        Type = job.Type,
        Params = job.Params,
    };
}
