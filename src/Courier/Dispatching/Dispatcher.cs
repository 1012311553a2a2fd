using System.Diagnostics.Metrics;
using Courier.Canaries;
using Courier.Dispatching.Admission;
using Courier.Dispatching.Breaking;
using Courier.Dispatching.Cancelling;
using Courier.Dispatching.Claims;
using Courier.Dispatching.Consuming;
using Courier.Dispatching.Control;
using Courier.Dispatching.Deduplication;
using Courier.Dispatching.Execution;
using Courier.Dispatching.History;
using Courier.Dispatching.Ledger;
using Courier.Dispatching.Limiting;
using Courier.Dispatching.Monitoring;
using Courier.Dispatching.Outcomes;
using Courier.Dispatching.Probing;
using Courier.Dispatching.Replays;
using Courier.Dispatching.Routing;
using Courier.Jobs;
using Courier.Recurring;
using Courier.State;
using Courier.Telemetry;
using Microsoft.Extensions.Logging;

namespace Courier;

/// <summary>
/// Consumes job topics and their retry tiers, runs each job through an executor within its rule's budget, and
/// routes the outcome: commit, retry record, or dead letter. See docs/architecture.md and docs/operations.md
/// ("How the dispatcher treats a job").
/// </summary>
/// <remarks>
/// One dedicated thread owns the consumer: it takes records, parks those that must wait (retry not yet due, type
/// budget full) by pausing their partition, starts the rest on the thread pool, and commits the contiguous
/// completed prefix of every partition. A job's offset completes only after its outcome is durable: success, or
/// its retry or dead-letter record acknowledged by the log. Nothing sleeps per message.
/// </remarks>
public sealed partial class Dispatcher : IAsyncDisposable
{
    /// <summary>How often running jobs' timeouts are checked: a job is cancelled at most this much after its timeout.</summary>
    private static readonly TimeSpan DeadlineSweepPeriod = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest a start waits for the control topic's pauses to be read.</summary>
    private static readonly TimeSpan ControlCatchUpBound = TimeSpan.FromSeconds(30);

    private readonly IJobLog _log;
    private readonly DispatcherOptions _options;
    private readonly CourierOptions _courierOptions;
    private readonly CourierTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RouteTable _routes;
    private readonly LagMonitor _lag;
    private readonly CompletionQueue _completions = new();
    private readonly CancellationTokenSource _stopFetching = new();
    private readonly JobDeadlines _deadlines;
    private readonly BreakerBoard _breakers;
    /// <summary>
    /// Asked in order before a job runs, and told its outcome (see <see cref="IJobAdmission"/>); complete before
    /// <see cref="StartAsync"/>.
    /// </summary>
    private readonly List<IJobAdmission> _admissions = [];
    /// <summary>Told every durable outcome (see <see cref="IOutcomeListener"/>); complete before <see cref="StartAsync"/>.</summary>
    private readonly List<IOutcomeListener> _outcomeListeners = [];
    private readonly Cancellations _cancels;
    private readonly RunClaims? _runClaims;
    private readonly ProbeBook _probeBook;
    private readonly ReplayOutcomes _replayOutcomes = new();
    private readonly Prober _prober;
    private readonly RecurringScheduler _recurring;
    private readonly TaskCompletionSource _loopExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IJobLogProducer? _producer;
    private ConsumerLoop? _loop;
    private Thread? _thread;
    private Task? _lagLoop;
    private Task? _controlLoop;
    private int _started;
    private int _disposed;

    /// <summary>
    /// Creates a dispatcher; nothing runs until <see cref="StartAsync"/>. <paramref name="stateStore"/> holds the state
    /// deduplication, supersession, recurring jobs, cancellations and shared rate limits need (docs/operations.md,
    /// "Scheduling semantics"); without one those are off and the start says so in the log. The dispatcher does not
    /// own it.
    /// </summary>
    public Dispatcher(
        IJobLog log,
        IJobExecutor executor,
        DispatcherOptions options,
        CourierOptions courierOptions,
        CourierTelemetry telemetry,
        ILogger<Dispatcher> logger,
        TimeProvider timeProvider,
        IJobStateStore? stateStore = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(courierOptions);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _log = log;
        _options = options;
        _courierOptions = courierOptions;
        _telemetry = telemetry;
        _logger = logger;
        _time = timeProvider;
        StateStore = stateStore;
        _breakers = new BreakerBoard(timeProvider, logger, telemetry, PauseChanged);
        _outcomeListeners.Add(_breakers);
        var rates = new RateLimits(stateStore, telemetry, timeProvider, logger, _completions.Wake);
        _routes = new RouteTable(options, courierOptions.Topics, executor, timeProvider, logger, telemetry, _breakers, rates);
        _deadlines = new JobDeadlines(timeProvider, DeadlineSweepPeriod);
        telemetry.LearnSchemas(courierOptions);
        telemetry.LearnRules(options, courierOptions.Topics);
        // Its own topics keep their names on the backlog and lag gauges; others it consumes (a pattern rule's, which
        // anyone producing can create) up to the bound.
        telemetry.Topics.Know(_routes.Topics);
        telemetry.Topics.Admit(_ => true);
        _lag = new LagMonitor(log, _routes, options, timeProvider, logger);
        _outcomeListeners.Add(History);
        _lag.Observe(telemetry);
        var probed = _routes.Types.Where(t => t.Rule.Probe is not null).Select(t => (Type: t, Spec: t.Rule.Probe!)).ToList();
        Prober.Check(new JobGate(courierOptions), courierOptions, options.Rules, timeProvider.GetUtcNow());
        _probeBook = new ProbeBook(probed.ToDictionary(p => p.Type.Name, p => p.Spec.Every, StringComparer.Ordinal), timeProvider);
        _outcomeListeners.Add(_probeBook);
        _outcomeListeners.Add(_replayOutcomes);
        // Admission checks, asked in this order: cancellation, claim TTLs, deduplication and supersession, rate limits, run claims.
        _cancels = new Cancellations(stateStore, telemetry, logger, timeProvider, _deadlines);
        _admissions.Add(_cancels);
        _admissions.Add(new ClaimTtlCheck(timeProvider));
        if (stateStore is not null)
        {
            _admissions.Add(new DedupCheck(stateStore, telemetry, timeProvider, logger));
        }
        _admissions.Add(rates); // only a job that would otherwise run spends its database's budget
        if (stateStore is not null)
        {
            _runClaims = new RunClaims(stateStore, telemetry, timeProvider, logger);
            _admissions.Add(_runClaims); // last: a claim is taken only to run
        }
        _prober = new Prober(probed, new JobEventCodec(courierOptions), courierOptions, _probeBook, timeProvider, logger);
        RecurringScheduler.Check(new JobGate(courierOptions), courierOptions, options, timeProvider.GetUtcNow());
        _recurring = new RecurringScheduler([.. options.Recurring], new JobEventCodec(courierOptions), courierOptions, stateStore, telemetry,
            timeProvider, logger);
        telemetry.ObserveProbesMissing(() => _probeBook.Snapshot().Where(p => p.Every is not null).Select(p =>
            new Measurement<long>(p.Missing ? 1 : 0, new KeyValuePair<string, object?>(TagBounds.JobType, p.Type))));
        telemetry.ObserveCanaryWeights(() => _routes.Canaries.Select(c => c.WeightMeasurement()));
        telemetry.ObservePaused(() => _routes.Types.Select(t =>
            new Measurement<long>(t.IsPaused ? 1 : 0, new KeyValuePair<string, object?>(TagBounds.JobType, t.Name))));
        if (stateStore is not null)
        {
            telemetry.ObserveDroppedKeys(() => new Measurement<long>(stateStore.DroppedKeys, DispatcherMetrics.StoreTag(stateStore.Name)));
        }
    }

    /// <summary>The shared state store this dispatcher uses, or null when it has none.</summary>
    public IJobStateStore? StateStore { get; }

    /// <summary>The topics this dispatcher consumes: each type's job topic and its retry tiers.</summary>
    public IReadOnlyCollection<string> Topics => _routes.Topics.ToList();

    /// <summary>The concurrency budget of <paramref name="type"/>'s rule (tests look at what is handed over).</summary>
    internal Budget? BudgetOf(string type) => _routes.Find(type)?.Budget;

    /// <summary>The recent outcomes per job type and release, and when each release was first seen (<c>courier check</c>).</summary>
    public OutcomeHistory History { get; } = new();

    /// <summary>The retry delay tiers in use.</summary>
    public IReadOnlyList<RetryTier> RetryTiers => _routes.Tiers.Tiers;

    /// <summary>Creates the topics it needs and starts consuming on a dedicated thread.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("the dispatcher was already started");
        }
        foreach (var topic in _routes.Topics.Append(_courierOptions.Topics.ErrorTopic))
        {
            await _log.EnsureTopicAsync(topic, _routes.PartitionsOf(topic, _courierOptions.DefaultPartitions), cancellationToken);
        }
        if (_options.OutcomeLedger)
        {
            // Compacted where the engine compacts (Kafka): the audit needs each job's last outcome, not its history.
            await _log.EnsureTopicAsync(_courierOptions.Topics.OutcomeLedgerTopic, _courierOptions.DefaultPartitions, TopicCleanup.Compact,
                cancellationToken);
        }
        // Operators' pauses are in force before the first job is fetched (bounded: a control topic that cannot be read
        // is logged and does not stop the dispatcher).
        var control = new ControlReader(_log, _courierOptions.Topics, name => _routes.Find(name) is not null, Pause, Resume, _cancels.Apply, _logger);
        _controlLoop = Task.Run(() => control.RunAsync(_stopFetching.Token), CancellationToken.None);
        try
        {
            await control.CaughtUp.WaitAsync(ControlCatchUpBound, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ControlLog.CatchUpSlow(_logger, _courierOptions.Topics.ControlTopic, ControlCatchUpBound);
        }
        _producer = _log.CreateProducer();
        var durable = new DurableProducer(_producer, _deadlines, _telemetry, _time, _logger);
        var writer = new OutcomeWriter(durable, _courierOptions.Topics, _routes.Tiers, _time);
        var ledger = _options.OutcomeLedger ? new OutcomeLedger(durable, _courierOptions.Topics.OutcomeLedgerTopic, _time) : null;
        var runner = new JobRunner(new JobGate(_courierOptions), _deadlines, writer,
            new OutcomeRouter(writer, ledger, _options, _telemetry, _courierOptions.Release, _outcomeListeners, _time, _logger), _admissions, _cancels,
            _completions, _telemetry, _time, _logger);
        _loop = new ConsumerLoop(_log, _options, _routes, runner, _completions, _deadlines, _lag, _telemetry, _time, _logger, _stopFetching.Token);
        _thread = new Thread(RunLoop) { IsBackground = true, Name = "courier-dispatcher" };
        _thread.Start();
        _prober.Start(_producer);
        _recurring.Start(_producer);
        _lagLoop = Task.Run(() => _lag.RefreshLoopAsync(_stopFetching.Token), CancellationToken.None);
        DispatcherLog.Started(_logger, _log.EngineName, _routes.Types.Count, _routes.Topics.Count, _options.GroupId);
        if (StateStore is null)
        {
            DispatcherLog.NoStateStore(_logger);
        }
    }

    /// <summary>Stops fetching, drains in-flight jobs within the drain bound, commits and leaves the group.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _started) == 0 || _thread is null)
        {
            return;
        }
        await _prober.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await _recurring.StopAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await _stopFetching.CancelAsync();
        _completions.Wake();
        using var abortOnHostTimeout = cancellationToken.Register(_deadlines.Abort);
        await _loopExited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var loop in new[] { _lagLoop, _controlLoop })
        {
            if (loop is not null)
            {
                await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops enqueuing recurring jobs, the rest running on: before a final drain no tick adds a job. Idempotent, for good.</summary>
    public Task StopRecurringAsync() => _recurring.StopAsync();

    /// <summary>Per-type counts since start.</summary>
    public IReadOnlyList<JobTypeStats> GetStats() => _routes.Types.Select(t => t.Snapshot()).ToList();

    /// <summary>
    /// The rule in force for <paramref name="jobType"/> as this dispatcher resolved it (its own rule, the default rule,
    /// or the settings of the pattern rule that picked the type up), or null for a type it does not know.
    /// </summary>
    public JobRule? RuleOf(string jobType)
    {
        ArgumentNullException.ThrowIfNull(jobType);
        return _routes.Find(jobType)?.Rule;
    }

    /// <summary>
    /// Synthetic probe results per job type (docs/operations.md, "Probes"): every type this dispatcher probes, and
    /// any other whose probes it ran. Ordered by type.
    /// </summary>
    public IReadOnlyList<ProbeStatus> GetProbes() => _probeBook.Snapshot();

    /// <summary>
    /// How the copy of a replayed dead letter ended on this dispatcher: <paramref name="replayOf"/> is the dead
    /// letter's position as the copy's <see cref="CourierHeaders.ReplayOf"/> header names it. Null while it has not
    /// ended, when another dispatcher ran it, or when it ended before the last <see cref="ReplayOutcomes.Capacity"/>
    /// replayed copies that ended here.
    /// </summary>
    public ReplayOutcome? GetReplayOutcome(string replayOf) => _replayOutcomes.Find(replayOf);

    /// <summary>Its recurring jobs (docs/operations.md "Recurring jobs"): last and next tick, jobs it enqueued; by name.</summary>
    public IReadOnlyList<RecurringStatus> GetRecurring() => _recurring.Snapshot();

    /// <summary>
    /// True when nothing is in flight and every partition this dispatcher consumes (job topics and retry tiers)
    /// is committed up to its high watermark.
    /// </summary>
    public async ValueTask<bool> IsIdleAsync(CancellationToken cancellationToken = default)
    {
        if (_completions.InFlight > 0)
        {
            return false;
        }
        foreach (var (_, backlog) in await ReadBacklogAsync(cancellationToken))
        {
            if (backlog > 0)
            {
                return false;
            }
        }
        return _completions.InFlight == 0;
    }

    /// <summary>Uncommitted records per consumed topic, read from the log (all members of the group together).</summary>
    public async ValueTask<IReadOnlyDictionary<string, long>> ReadBacklogAsync(CancellationToken cancellationToken = default)
    {
        var backlog = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var lag in await ReadLagAsync(cancellationToken))
        {
            backlog[lag.Partition.Topic] = backlog.GetValueOrDefault(lag.Partition.Topic) + lag.Lag;
        }
        return backlog;
    }

    /// <summary>
    /// Consumer lag of every partition this dispatcher consumes (job topics, pattern-matched topics and retry
    /// tiers), read from the log: what the whole group has not committed, not only this member.
    /// </summary>
    public ValueTask<IReadOnlyList<PartitionLag>> ReadLagAsync(CancellationToken cancellationToken = default) =>
        _lag.ReadLagAsync(cancellationToken);

    /// <summary>
    /// The last lag read — by the dispatcher's own refresh every <see cref="DispatcherOptions.LagRefreshInterval"/> or
    /// by anyone's <see cref="ReadLagAsync"/> — with its time; null before the first. Free to ask: a read costs a few
    /// round trips to the log, this costs nothing.
    /// </summary>
    public LagReading? LastLag => _lag.Last;

    /// <summary>
    /// Age of the oldest job this dispatcher has taken and not finished, per job type (in flight, held for
    /// budget, or waiting behind one of those). Jobs not yet fetched are newer than these, except right after a
    /// start, before the first fetch: <see cref="ReadLagAsync"/> shows that backlog.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> OldestPendingAge() => _lag.OldestPendingAge();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        using (var timeout = new CancellationTokenSource(_options.StopTimeout))
        {
            try
            {
                await StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // The loop did not exit in time; it is a background thread and the process may go on.
            }
        }
        _producer?.Dispose();
        _loop?.DisposeConsumer();
        _stopFetching.Dispose();
        _prober.Dispose();
        _recurring.Dispose();
        _deadlines.Dispose();
        _completions.Dispose();
        _routes.Dispose();
        _breakers.Dispose();
        _runClaims?.Dispose();
    }

    private void RunLoop()
    {
        try
        {
            _loop!.Run();
        }
#pragma warning disable CA1031 // Reported, and StopAsync must still complete.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DispatcherLog.LoopCrashed(_logger, e);
        }
        finally
        {
            _loopExited.TrySetResult();
        }
    }
}
