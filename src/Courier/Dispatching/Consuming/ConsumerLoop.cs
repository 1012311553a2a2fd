using Courier.Dispatching.Execution;
using Courier.Dispatching.Monitoring;
using Courier.Dispatching.Routing;
using Microsoft.Extensions.Logging;
using static Courier.Dispatching.Outcomes.RecordHeaders;

namespace Courier.Dispatching.Consuming;

/// <summary>
/// The dispatcher's consumer thread: takes records, parks those that must wait (retry not yet due, budget full) by
/// pausing their partition, starts the rest, completes offsets as jobs finish and commits the completed prefixes.
/// On stop it drains the jobs in flight (bounded), commits and leaves the group.
/// </summary>
internal sealed class ConsumerLoop
{
    private static readonly TimeSpan IdleConsumeTimeout = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan BusyConsumeTimeout = TimeSpan.FromMilliseconds(2);

    private readonly IJobLog _log;
    private readonly DispatcherOptions _options;
    private readonly RouteTable _routes;
    private readonly JobRunner _runner;
    private readonly CompletionQueue _completions;
    private readonly JobDeadlines _deadlines;
    private readonly PartitionTable _partitions;
    private readonly OffsetCommitter _committer;
    private readonly CourierTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;
    private IJobLogConsumer _consumer;
    private int _pausesApplied;

    public ConsumerLoop(IJobLog log, DispatcherOptions options, RouteTable routes, JobRunner runner, CompletionQueue completions,
        JobDeadlines deadlines, LagMonitor lag, CourierTelemetry telemetry, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        _log = log;
        _options = options;
        _routes = routes;
        _runner = runner;
        _completions = completions;
        _deadlines = deadlines;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _stopping = stopping;
        _partitions = new PartitionTable(time);
        _committer = new OffsetCommitter(_partitions, lag, telemetry, logger);
        _consumer = CreateConsumer();
    }

    /// <summary>Consumes until <c>stopping</c> is cancelled, then drains, commits and closes the consumer.</summary>
    public void Run()
    {
        var lastCommit = _time.GetTimestamp();
        var backoff = TimeSpan.Zero;
        while (!_stopping.IsCancellationRequested)
        {
            ApplyPauses();
            _completions.Drain();
            _partitions.ReleaseParked(_consumer, _runner);
            // Looked at between batches of started records (at most StartBatch.Capacity apart), not for each record:
            // a clock read costs tens of nanoseconds, and the interval is hundreds of milliseconds.
            if (!_runner.HasPending && _time.GetElapsedTime(lastCommit) >= _options.CommitInterval)
            {
                _committer.Commit(_consumer, durable: false);
                lastCommit = _time.GetTimestamp();
            }
            var timeout = NextConsumeTimeout();
            if (timeout == BusyConsumeTimeout)
            {
                // Records wait for budget: a finishing job wakes us at once (rather than a sleep inside Consume
                // that a completion cannot cut short), then anything already fetched is taken without waiting.
                _runner.Flush();
                _completions.Wait(BusyConsumeTimeout);
                _completions.WakeAfter(1);
                _completions.Drain();
                _partitions.ReleaseParked(_consumer, _runner);
                timeout = TimeSpan.Zero;
            }
            if (_runner.HasPending)
            {
                // Started records wait to be handed over: take what else is ready, never wait for more.
                timeout = TimeSpan.Zero;
            }
            LogRecord? record;
            try
            {
                record = _consumer.Consume(timeout, _stopping);
                backoff = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }
            catch (JobLogException e) when (e.IsFatal)
            {
                _runner.Flush();
                ReplaceConsumer(e);
                _stopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                continue;
            }
#pragma warning disable CA1031 // A log error must not kill the dispatcher: back off and try again, visibly.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _runner.Flush();
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(100)
                    : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                DispatcherLog.ConsumeFailed(_logger, e, backoff);
                DispatcherMetrics.CountLogError(_telemetry, "consume");
                _stopping.WaitHandle.WaitOne(backoff);
                continue;
            }
            if (record is not null)
            {
                Take(record);
            }
            else
            {
                _runner.Flush();
            }
        }
        _runner.Flush();
        Drain();
        _committer.Commit(_consumer, durable: true);
        _consumer.Close();
        DispatcherLog.Stopped(_logger, _completions.InFlight);
    }

    /// <summary>Disposes the consumer (after <see cref="Run"/> returned, or if it never will).</summary>
    public void DisposeConsumer() => _consumer.Dispose();

    /// <summary>
    /// A consumer that hit a fatal error cannot continue: give back what it held, drop its partitions (jobs still
    /// running finish, but their offsets stay uncommitted, so the next owner runs them again) and join the group
    /// with a new consumer.
    /// </summary>
    private void ReplaceConsumer(JobLogException error)
    {
        DispatcherLog.ConsumerReplaced(_logger, error);
        DispatcherMetrics.CountLogError(_telemetry, "consume");
        _partitions.Clear();
        var old = _consumer;
        try
        {
            old.Close();
        }
#pragma warning disable CA1031 // The old consumer is broken; whatever its close throws changes nothing.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        old.Dispose();
        _consumer = CreateConsumer();
    }

    private IJobLogConsumer CreateConsumer()
    {
        var consumer = _log.CreateConsumer(new JobLogConsumerOptions
        {
            GroupId = _options.GroupId,
            PartitionsAssigned = OnAssigned,
            PartitionsRevoked = OnRevoked,
            // The engine commits what the committer stores as often as it stores it.
            CommitInterval = _options.CommitInterval,
            BackgroundCommitFailed = _committer.CommitFailed,
        });
        consumer.Subscribe(_routes.Subscription);
        return consumer;
    }

    private TimeSpan NextConsumeTimeout()
    {
        var parked = _partitions.Parked;
        if (parked.Count == 0)
        {
            return IdleConsumeTimeout;
        }
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var timeout = IdleConsumeTimeout;
        foreach (var partition in parked)
        {
            if (partition.Route.Type.IsPaused)
            {
                continue; // waits for a resume, which wakes this thread
            }
            if (partition.HeldDueMs <= now)
            {
                // Waiting for budget: look at completions again soon, woken by the finishing jobs once a quarter of
                // the records handed over are done rather than by each one (a wake-up per job costs the workers and
                // this thread a system call each, and starting a batch is cheaper than starting jobs one by one). A
                // quarter of those handed over, not of the most it may hand over: large records fill it sooner.
                _completions.WakeAfter(Math.Max(1, Volatile.Read(ref partition.Budget.InFlight) / 4));
                return BusyConsumeTimeout;
            }
            var wait = TimeSpan.FromMilliseconds(Math.Max(1, partition.HeldDueMs - now));
            if (wait < timeout)
            {
                timeout = wait;
            }
        }
        return timeout;
    }

    private void Take(LogRecord record)
    {
        var key = new TopicPartition(record.Topic, record.Partition);
        if (!_partitions.TryGet(key, out var partition))
        {
            if (_routes.Resolve(record.Topic, create: true) is not { } route)
            {
                return; // a topic no rule of ours governs (matched a broad subscription): not ours to run or commit
            }
            partition = _partitions.Add(key, route);
        }
        partition.Tracker.Add(record.Offset, record.Timestamp.ToUnixTimeMilliseconds());
        if (partition.Held.Count > 0)
        {
            _partitions.Hold(_consumer, partition, record, 0); // behind records already waiting: keep offset order
            return;
        }
        if (partition.Route.IsRetry)
        {
            var due = ReadLong(record, CourierHeaders.DueAt) ?? 0;
            if (due > _time.GetUtcNow().ToUnixTimeMilliseconds())
            {
                _partitions.Hold(_consumer, partition, record, due);
                return;
            }
        }
        if (!partition.Budget.HasRoom || partition.Route.Type.IsPaused)
        {
            _partitions.Hold(_consumer, partition, record, 0);
            return;
        }
        // Only a start-rate limit needs the time: its window counts the start then (and takes it back if the job runs
        // nothing). Without one the clock is not read for the record.
        var now = partition.Route.Type.Rate is null ? 0 : _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (PartitionTable.RateDelay(partition, now) is { } rateDue)
        {
            _partitions.Hold(_consumer, partition, record, rateDue, forRate: true);
            return;
        }
        _runner.Start(partition, record, now);
    }

    /// <summary>Applies the pauses and resumes other threads asked for since the last look (<see cref="Dispatcher.Pause"/>).</summary>
    private void ApplyPauses()
    {
        var changes = Volatile.Read(ref _routes.PauseChanges);
        if (changes != _pausesApplied)
        {
            _pausesApplied = changes;
            _partitions.ApplyPauses(_consumer);
        }
    }

    private void Drain()
    {
        _partitions.ReturnParked();
        PartitionTable.Release(_partitions.All);
        var deadline = _time.GetTimestamp();
        var aborted = false;
        while (_completions.InFlight > 0)
        {
            if (!aborted && _time.GetElapsedTime(deadline) >= _options.ShutdownDrainTimeout)
            {
                DispatcherLog.DrainTimedOut(_logger, _options.ShutdownDrainTimeout, _completions.InFlight);
                _deadlines.Abort();
                aborted = true;
            }
            _completions.Wait(TimeSpan.FromMilliseconds(20));
            _completions.Drain();
        }
        _completions.Drain();
    }

    private void OnAssigned(IReadOnlyCollection<TopicPartition> partitions) =>
        DispatcherLog.Assigned(_logger, string.Join(", ", partitions));

    private void OnRevoked(IReadOnlyCollection<TopicPartition> revoked)
    {
        _runner.Flush(); // jobs of the revoked partitions may wait in it; the drain below waits for them
        var states = new List<PartitionState>();
        foreach (var key in revoked)
        {
            if (_partitions.TryGet(key, out var partition))
            {
                states.Add(partition);
                _partitions.Unpark(partition);
            }
        }
        PartitionTable.Release(states);
        // Drain the revoked partitions' running jobs (bounded) so their offsets are committed before another
        // member reads them; whatever is still running after the bound may run twice (at-least-once).
        var start = _time.GetTimestamp();
        _completions.Drain(); // what finished already is not counted as running
        var drained = states.Sum(s => s.InFlight);
        while (states.Any(s => s.InFlight > 0) && _time.GetElapsedTime(start) < _options.ShutdownDrainTimeout)
        {
            _completions.Wait(TimeSpan.FromMilliseconds(20));
            _completions.Drain();
        }
        _completions.Drain();
        _committer.Commit(_consumer, durable: true, states);
        foreach (var partition in states)
        {
            if (partition.Paused)
            {
                // The client may keep a partition's pause across a rebalance (librdkafka does); its next owner, this
                // consumer included, starts from a fresh state and pauses it again when one of its reasons holds.
                partition.Paused = false;
                _consumer.Resume([partition.Partition]);
            }
            _partitions.Remove(partition);
        }
        DispatcherLog.Revoked(_logger, string.Join(", ", revoked), drained);
    }
}
