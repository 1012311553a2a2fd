using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Courier.Internal;
using Courier.Jobs;
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
public sealed class Dispatcher : IAsyncDisposable
{
    private static readonly TimeSpan IdleConsumeTimeout = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan BusyConsumeTimeout = TimeSpan.FromMilliseconds(2);

    /// <summary>How often running jobs' timeouts are checked: a job is cancelled at most this much after its timeout.</summary>
    private static readonly TimeSpan DeadlineSweepPeriod = TimeSpan.FromMilliseconds(50);

    private readonly IJobLog _log;
    private readonly IJobExecutor _executor;
    private readonly ExecutorRouter? _router;
    private readonly DispatcherOptions _options;
    private readonly CourierOptions _courierOptions;
    private readonly CourierTelemetry _telemetry;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly JobGate _gate;
    private readonly RetryTierSet _tiers;
    private readonly ConcurrentDictionary<string, TypeState> _types = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TopicRoute> _routes = new(StringComparer.Ordinal);
    private readonly List<string> _subscription = [];
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private readonly List<PartitionState> _parked = [];
    private readonly ConcurrentQueue<(PartitionState Partition, long Offset, bool Done)> _completions = new();
    // No spinning before blocking: the consumer thread waits here while the workers it waits for need the CPU
    // (on 2 cores the Kafka benchmark profile showed most of this thread's CPU going to spin-waits).
    private readonly ManualResetEventSlim _completed = new(false, spinCount: 0);
    private readonly CancellationTokenSource _stopFetching = new();
    private readonly JobDeadlines _deadlines;
    private readonly TaskCompletionSource _loopExited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _version;
    private IJobLogProducer? _producer;
    private IJobLogConsumer? _consumer;
    private Thread? _thread;
    private Task? _lagLoop;
    private int _inFlight;

    // Completions since the consumer thread last drained them, and how many wake it (1 unless it waits for budget).
    private int _completionsSinceWake;
    private int _wakeAfter = 1;
    private int _started;
    private int _disposed;

    /// <summary>Creates a dispatcher; nothing runs until <see cref="StartAsync"/>.</summary>
    public Dispatcher(
        IJobLog log,
        IJobExecutor executor,
        DispatcherOptions options,
        CourierOptions courierOptions,
        CourierTelemetry telemetry,
        ILogger<Dispatcher> logger,
        TimeProvider timeProvider)
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
        _executor = executor;
        _options = options;
        _courierOptions = courierOptions;
        _telemetry = telemetry;
        _logger = logger;
        _time = timeProvider;
        _gate = new JobGate(courierOptions);
        _deadlines = new JobDeadlines(timeProvider, DeadlineSweepPeriod);
        _version = typeof(Dispatcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(Dispatcher).Assembly.GetName().Version?.ToString() ?? "0.0.0";

        var rules = options.AllJobTypes().Select(options.RuleFor).ToList();
        if (rules.Count == 0 && options.PatternRules.Count == 0)
        {
            throw new ArgumentException("the dispatcher has no job types: add rules, pattern rules or JobTypes to DispatcherOptions");
        }
        _tiers = new RetryTierSet(options, rules.Concat(options.PatternRules.Select(p => p.Settings)));
        // Rules naming a runner pool run on it; the others on the executor given. One HTTP executor per pool.
        _router = options.RunnerPools.Count == 0
            ? null
            : new ExecutorRouter(executor, options, timeProvider, logger, Environment.GetEnvironmentVariable);
        foreach (var rule in rules)
        {
            var jobTopic = courierOptions.Topics.JobTopic(rule.Type);
            var type = new TypeState(rule, jobTopic, ExecutorFor(rule));
            _types[rule.Type] = type;
            if (rule.Partition is null)
            {
                _routes[jobTopic] = new TopicRoute(type, RouteKind.Job);
            }
            else
            {
                _routes[jobTopic] = new TopicRoute(type, RouteKind.Partitioner);
                _routes[courierOptions.Topics.PartitionedTopic(jobTopic)] = new TopicRoute(type, RouteKind.Partitioned);
            }
            foreach (var tier in _tiers.Tiers)
            {
                _routes[courierOptions.Topics.RetryTopic(jobTopic, tier)] = new TopicRoute(type, RouteKind.Retry);
            }
        }
        _subscription.AddRange(_routes.Keys);
        _subscription.AddRange(options.PatternRules.Select(p => p.Pattern));
        // Every retry topic of every job topic, whatever its tier: a tier dropped from the configuration still has
        // its records read (and a pattern rule's types get theirs), so a config change never strands a retry.
        _subscription.Add($"^{Regex.Escape(courierOptions.Topics.ServiceName)}\\.retry\\.[^.]+\\.{Regex.Escape(courierOptions.Topics.JobTopicPrefix)}");
        telemetry.LearnSchemas(courierOptions);
        telemetry.LearnRules(options, courierOptions.Topics);
        // Its own topics keep their names on the backlog and lag gauges; others it consumes (a pattern rule's, which
        // anyone producing can create) up to the bound.
        telemetry.Topics.Know(_routes.Keys);
        telemetry.Topics.Admit(_ => true);
        telemetry.ObserveBacklog(ObserveBacklog);
        telemetry.ObserveLag(ObserveLag, ObserveOldestPending);
    }

    /// <summary>The executor a rule's jobs run on: its runner pool's, or the one the dispatcher was given.</summary>
    private IJobExecutor ExecutorFor(JobRule rule) => _router?.For(rule) ?? _executor;

    /// <summary>The topics this dispatcher consumes: each type's job topic and its retry tiers.</summary>
    public IReadOnlyCollection<string> Topics => _routes.Keys.ToList();

    /// <summary>The retry delay tiers in use.</summary>
    public IReadOnlyList<RetryTier> RetryTiers => _tiers.Tiers;

    /// <summary>Creates the topics it needs and starts consuming on a dedicated thread.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("the dispatcher was already started");
        }
        foreach (var topic in _routes.Keys.Append(_courierOptions.Topics.ErrorTopic))
        {
            var partitions = _routes.TryGetValue(topic, out var route) && route.Kind == RouteKind.Partitioned
                ? route.Type.Rule.Partition!.PartitionCount
                : _courierOptions.DefaultPartitions;
            await _log.EnsureTopicAsync(topic, partitions, cancellationToken);
        }
        _producer = _log.CreateProducer();
        _consumer = CreateConsumer();
        _thread = new Thread(RunLoop) { IsBackground = true, Name = "courier-dispatcher" };
        _thread.Start();
        _lagLoop = Task.Run(RefreshLagLoopAsync, CancellationToken.None);
        DispatcherLog.Started(_logger, _log.EngineName, _types.Count, _routes.Count, _options.GroupId);
    }

    /// <summary>Stops fetching, drains in-flight jobs within the drain bound, commits and leaves the group.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _started) == 0 || _thread is null)
        {
            return;
        }
        await _stopFetching.CancelAsync();
        _completed.Set();
        using var abortOnHostTimeout = cancellationToken.Register(_deadlines.Abort);
        await _loopExited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_lagLoop is not null)
        {
            await _lagLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Per-type counts since start.</summary>
    public IReadOnlyList<JobTypeStats> GetStats() => _types.Values.Select(t => t.Snapshot()).ToList();

    /// <summary>
    /// True when nothing is in flight and every partition this dispatcher consumes (job topics and retry tiers)
    /// is committed up to its high watermark.
    /// </summary>
    public async ValueTask<bool> IsIdleAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _inFlight) > 0)
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
        return Volatile.Read(ref _inFlight) == 0;
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
    public async ValueTask<IReadOnlyList<PartitionLag>> ReadLagAsync(CancellationToken cancellationToken = default)
    {
        var topics = await _log.ListTopicsAsync(cancellationToken);
        var partitions = new List<TopicPartition>();
        foreach (var topic in topics)
        {
            if (Resolve(topic.Name, create: false) is not null)
            {
                for (var p = 0; p < topic.Partitions; p++)
                {
                    partitions.Add(new TopicPartition(topic.Name, p));
                }
            }
        }
        var committed = await _log.GetCommittedOffsetsAsync(_options.GroupId, partitions, cancellationToken);
        var lags = new List<PartitionLag>(partitions.Count);
        foreach (var partition in partitions)
        {
            var marks = await _log.GetWatermarksAsync(partition, cancellationToken);
            lags.Add(new PartitionLag(partition, committed.TryGetValue(partition, out var c) ? c : marks.Low, marks.High));
        }
        _lastLag = lags;
        return lags;
    }

    /// <summary>
    /// Age of the oldest job this dispatcher has taken and not finished, per job type (in flight, held for
    /// budget, or waiting behind one of those). Jobs not yet fetched are newer than these, except right after a
    /// start, before the first fetch: <see cref="ReadLagAsync"/> shows that backlog.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> OldestPendingAge()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var oldest = _oldestPending;
        return oldest.ToDictionary(kv => kv.Key, kv => TimeSpan.FromMilliseconds(Math.Max(0, now - kv.Value)), StringComparer.Ordinal);
    }

    private volatile IReadOnlyList<PartitionLag>? _lastLag;
    private volatile Dictionary<string, long> _oldestPending = new(StringComparer.Ordinal);

    private IEnumerable<Measurement<long>> ObserveBacklog()
    {
        // Gauges report the last lag read (by the dispatcher's own refresh every LagRefreshInterval, IsIdleAsync,
        // `courier stats` or the CLI's progress view) rather than querying the log inside a metrics callback.
        var lags = _lastLag;
        if (lags is null)
        {
            yield break;
        }
        foreach (var group in lags.GroupBy(l => l.Partition.Topic))
        {
            yield return new Measurement<long>(group.Sum(l => l.Lag), new KeyValuePair<string, object?>("messaging.destination.name", group.Key));
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        var lags = _lastLag;
        if (lags is null)
        {
            yield break;
        }
        foreach (var lag in lags)
        {
            yield return new Measurement<long>(lag.Lag,
                new KeyValuePair<string, object?>("messaging.destination.name", lag.Partition.Topic),
                new KeyValuePair<string, object?>("messaging.destination.partition.id", lag.Partition.Partition.ToString(CultureInfo.InvariantCulture)));
        }
    }

    private IEnumerable<Measurement<double>> ObserveOldestPending()
    {
        foreach (var (type, age) in OldestPendingAge())
        {
            yield return new Measurement<double>(age.TotalSeconds, new KeyValuePair<string, object?>("job.type", type));
        }
    }

    private async Task RefreshLagLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.LagRefreshInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopFetching.Token))
            {
                try
                {
                    await ReadLagAsync(_stopFetching.Token);
                }
                catch (OperationCanceledException) when (_stopFetching.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // Lag is observability: a failed read is logged and tried again next tick.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    DispatcherLog.LagReadFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        using (var timeout = new CancellationTokenSource(_options.ShutdownDrainTimeout + TimeSpan.FromSeconds(10)))
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
        _consumer?.Dispose();
        _stopFetching.Dispose();
        _deadlines.Dispose();
        _completed.Dispose();
        _router?.Dispose();
    }

    // ---------------------------------------------------------------- consumer thread

    private void RunLoop()
    {
        try
        {
            var lastCommit = _time.GetTimestamp();
            var backoff = TimeSpan.Zero;
            while (!_stopFetching.IsCancellationRequested)
            {
                DrainCompletions();
                ReleaseParked();
                if (_time.GetElapsedTime(lastCommit) >= _options.CommitInterval)
                {
                    CommitProgress(durable: false);
                    lastCommit = _time.GetTimestamp();
                }
                var timeout = NextConsumeTimeout();
                if (timeout == BusyConsumeTimeout)
                {
                    // Records wait for budget: a finishing job wakes us at once (rather than a sleep inside Consume
                    // that a completion cannot cut short), then anything already fetched is taken without waiting.
                    _completed.Wait(BusyConsumeTimeout);
                    Volatile.Write(ref _wakeAfter, 1);
                    DrainCompletions();
                    ReleaseParked();
                    timeout = TimeSpan.Zero;
                }
                LogRecord? record;
                try
                {
                    record = _consumer!.Consume(timeout, _stopFetching.Token);
                    backoff = TimeSpan.Zero;
                }
                catch (OperationCanceledException) when (_stopFetching.IsCancellationRequested)
                {
                    break;
                }
                catch (JobLogException e) when (e.IsFatal)
                {
                    ReplaceConsumer(e);
                    _stopFetching.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
                    continue;
                }
#pragma warning disable CA1031 // A log error must not kill the dispatcher: back off and try again, visibly.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    backoff = backoff == TimeSpan.Zero ? TimeSpan.FromMilliseconds(100)
                        : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                    DispatcherLog.ConsumeFailed(_logger, e, backoff);
                    CountLogError("consume");
                    _stopFetching.Token.WaitHandle.WaitOne(backoff);
                    continue;
                }
                if (record is not null)
                {
                    Take(record);
                }
            }
            Drain();
            CommitProgress(durable: true);
            _consumer!.Close();
            DispatcherLog.Stopped(_logger, Volatile.Read(ref _inFlight));
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

    /// <summary>
    /// A consumer that hit a fatal error cannot continue: give back what it held, drop its partitions (jobs still
    /// running finish, but their offsets stay uncommitted, so the next owner runs them again) and join the group
    /// with a new consumer.
    /// </summary>
    private void ReplaceConsumer(JobLogException error)
    {
        DispatcherLog.ConsumerReplaced(_logger, error);
        CountLogError("consume");
        foreach (var partition in _partitions.Values)
        {
            ReturnHeld(partition);
            partition.Owned = false;
        }
        _partitions.Clear();
        _parked.Clear();
        var old = _consumer!;
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
            // The engine commits what CommitProgress stores as often as the dispatcher stores it.
            CommitInterval = _options.CommitInterval,
            BackgroundCommitFailed = OnBackgroundCommitFailed,
        });
        consumer.Subscribe(_subscription);
        return consumer;
    }

    private TimeSpan NextConsumeTimeout()
    {
        if (_parked.Count == 0)
        {
            return IdleConsumeTimeout;
        }
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var timeout = IdleConsumeTimeout;
        foreach (var partition in _parked)
        {
            if (partition.HeldDueMs <= now)
            {
                // Waiting for budget: look at completions again soon, woken by the finishing jobs once a quarter of
                // the budget is free rather than by each one (a wake-up per job costs the workers and this thread a
                // system call each, and starting a batch is cheaper than starting jobs one by one).
                Volatile.Write(ref _wakeAfter, Math.Max(1, partition.Budget.Limit / 4));
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
        if (!_partitions.TryGetValue(key, out var partition))
        {
            if (Resolve(record.Topic, create: true) is not { } route)
            {
                return; // a topic no rule of ours governs (matched a broad subscription): not ours to run or commit
            }
            partition = new PartitionState(key, route);
            _partitions[key] = partition;
        }
        partition.Tracker.Add(record.Offset, record.Timestamp.ToUnixTimeMilliseconds());
        if (partition.Held.Count > 0)
        {
            Hold(partition, record, 0); // behind records already waiting: keep offset order
            return;
        }
        if (partition.Route.IsRetry)
        {
            var due = ReadLong(record, CourierHeaders.DueAt) ?? 0;
            if (due > _time.GetUtcNow().ToUnixTimeMilliseconds())
            {
                Hold(partition, record, due);
                return;
            }
        }
        if (!partition.Budget.HasRoom)
        {
            Hold(partition, record, 0);
            return;
        }
        Start(partition, record);
    }

    /// <summary>
    /// What a topic is to this dispatcher: a known route, a retry tier of a known type not configured (any more),
    /// or a job topic (or its retry tier) matched by a pattern rule — which creates the type with its own budget.
    /// </summary>
    private TopicRoute? Resolve(string topic, bool create)
    {
        if (_routes.TryGetValue(topic, out var known))
        {
            return known;
        }
        var names = _courierOptions.Topics;
        var retryPrefix = names.ServiceName + ".retry.";
        var jobTopic = topic;
        var isRetry = false;
        if (topic.StartsWith(retryPrefix, StringComparison.Ordinal))
        {
            var afterTier = topic.IndexOf('.', retryPrefix.Length);
            if (afterTier < 0)
            {
                return null;
            }
            jobTopic = topic[(afterTier + 1)..];
            isRetry = true;
        }
        if (!jobTopic.StartsWith(names.JobTopicPrefix, StringComparison.Ordinal) || jobTopic.Length == names.JobTopicPrefix.Length)
        {
            return null;
        }
        var typeName = jobTopic[names.JobTopicPrefix.Length..];
        if (!_types.TryGetValue(typeName, out var type))
        {
            var pattern = _options.PatternRules.FirstOrDefault(p => p.Matches(jobTopic));
            if (pattern is null)
            {
                return null;
            }
            if (!create)
            {
                var settings = pattern.Settings.WithType(typeName);
                return new TopicRoute(new TypeState(settings, jobTopic, ExecutorFor(settings)), isRetry ? RouteKind.Retry : RouteKind.Job);
            }
            type = _types.GetOrAdd(typeName, name =>
            {
                DispatcherLog.PatternMatched(_logger, pattern.Name, name, jobTopic);
                var settings = pattern.Settings.WithType(name);
                return new TypeState(settings, jobTopic, ExecutorFor(settings));
            });
        }
        var route = new TopicRoute(type, isRetry ? RouteKind.Retry : RouteKind.Job);
        return create ? _routes.GetOrAdd(topic, route) : route;
    }

    /// <summary>Most records held per partition before it is paused: bounds memory while keeping a type's
    /// budget busy without a pause/resume (and a discarded read-ahead) for every freed slot.</summary>
    private const int HoldLimit = 64;

    private void Hold(PartitionState partition, LogRecord record, long dueMs)
    {
        if (partition.Held.Count == 0)
        {
            partition.HeldDueMs = dueMs;
            _parked.Add(partition);
        }
        partition.Held.Enqueue(record);
        // Behind a retry that is not due nothing else can run in order, so stop fetching at once.
        if (!partition.Paused && (dueMs > 0 || partition.Held.Count >= HoldLimit))
        {
            partition.Paused = true;
            _consumer!.Pause([partition.Partition]);
        }
    }

    private void ReleaseParked()
    {
        if (_parked.Count == 0)
        {
            return;
        }
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 0; i < _parked.Count; i++)
        {
            var partition = _parked[i];
            var held = partition.Held;
            while (held.Count > 0)
            {
                if (partition.HeldDueMs > now)
                {
                    break;
                }
                if (!partition.Budget.HasRoom)
                {
                    break;
                }
                Start(partition, held.Dequeue());
                partition.HeldDueMs = partition.Route.IsRetry && held.TryPeek(out var next) ? ReadLong(next, CourierHeaders.DueAt) ?? 0 : 0;
            }
            if (held.Count == 0)
            {
                _parked.RemoveAt(i--);
                if (partition.Paused)
                {
                    partition.Paused = false;
                    _consumer!.Resume([partition.Partition]);
                }
            }
        }
    }

    /// <summary>Gives held records back (never started) so they are read again: by this consumer or the next owner.</summary>
    private static void ReturnHeld(PartitionState partition)
    {
        foreach (var record in partition.Held.Reverse())
        {
            partition.Tracker.RemoveLast(record.Offset);
        }
        partition.Held.Clear();
        partition.HeldDueMs = 0;
    }

    private void Start(PartitionState partition, LogRecord record)
    {
        Interlocked.Increment(ref partition.Budget.InFlight);
        Interlocked.Increment(ref partition.Route.Type.InFlight);
        Interlocked.Increment(ref partition.InFlight);
        Interlocked.Increment(ref _inFlight);
        ThreadPool.UnsafeQueueUserWorkItem(
            static state => _ = state.Dispatcher.ExecuteAsync(state.Partition, state.Record),
            (Dispatcher: this, Partition: partition, Record: record),
            preferLocal: false);
    }

    private void DrainCompletions()
    {
        _completed.Reset();
        Volatile.Write(ref _completionsSinceWake, 0);
        while (_completions.TryDequeue(out var completion))
        {
            if (completion.Done && completion.Partition.Owned)
            {
                completion.Partition.Tracker.Complete(completion.Offset);
            }
        }
    }

    private void PublishOldestPending()
    {
        var oldest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var partition in _partitions.Values)
        {
            if (partition.Tracker.OldestPendingTimestampMs is { } ts)
            {
                var type = partition.Route.Type.Name;
                oldest[type] = oldest.TryGetValue(type, out var known) ? Math.Min(known, ts) : ts;
            }
        }
        _oldestPending = oldest;
    }

    /// <summary>
    /// Hands the end of each partition's contiguous completed prefix to the log. Routinely (every CommitInterval,
    /// <paramref name="durable"/> false) it only stores them, which never waits on the network: the engine commits them
    /// in the background, so a group coordinator that is down or slow cannot hold up this thread — consuming, starting
    /// jobs and draining completions go on while commits fail. Before partitions go to another member (a revoke) and at
    /// shutdown it commits synchronously, as the next owner must start where this one stopped.
    /// </summary>
    private void CommitProgress(bool durable, IEnumerable<PartitionState>? only = null)
    {
        if (only is null)
        {
            PublishOldestPending();
        }
        List<TopicPartitionOffset>? offsets = null;
        foreach (var partition in only ?? _partitions.Values)
        {
            var committable = partition.Tracker.CommittableOffset;
            // A stored offset is not durable yet: a durable commit sends everything not known to be committed.
            if (committable >= 0 && committable != (durable ? partition.LastCommitted : partition.LastStored))
            {
                (offsets ??= []).Add(new TopicPartitionOffset(partition.Partition.Topic, partition.Partition.Partition, committable));
            }
        }
        if (offsets is null)
        {
            return;
        }
        try
        {
            if (durable)
            {
                _consumer!.Commit(offsets);
            }
            else
            {
                _consumer!.StoreOffsets(offsets);
            }
            foreach (var offset in offsets)
            {
                if (_partitions.TryGetValue(offset.TopicPartition, out var partition))
                {
                    partition.LastStored = offset.Offset;
                    if (durable)
                    {
                        partition.LastCommitted = offset.Offset;
                    }
                }
            }
        }
#pragma warning disable CA1031 // A failed commit is retried on the next interval; the jobs are done either way.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DispatcherLog.CommitFailed(_logger, e);
            CountLogError("commit");
        }
    }

    /// <summary>The engine's background commit of stored offsets failed (it tries again with its next one).</summary>
    private void OnBackgroundCommitFailed(JobLogException error)
    {
        DispatcherLog.CommitFailed(_logger, error);
        CountLogError("commit");
    }

    private void Drain()
    {
        foreach (var partition in _parked)
        {
            ReturnHeld(partition);
        }
        _parked.Clear();
        var deadline = _time.GetTimestamp();
        var aborted = false;
        while (Volatile.Read(ref _inFlight) > 0)
        {
            if (!aborted && _time.GetElapsedTime(deadline) >= _options.ShutdownDrainTimeout)
            {
                DispatcherLog.DrainTimedOut(_logger, _options.ShutdownDrainTimeout, Volatile.Read(ref _inFlight));
                _deadlines.Abort();
                aborted = true;
            }
            _completed.Wait(TimeSpan.FromMilliseconds(20));
            DrainCompletions();
        }
        DrainCompletions();
    }

    private void OnAssigned(IReadOnlyCollection<TopicPartition> partitions) =>
        DispatcherLog.Assigned(_logger, string.Join(", ", partitions));

    private void OnRevoked(IReadOnlyCollection<TopicPartition> revoked)
    {
        var states = new List<PartitionState>();
        foreach (var key in revoked)
        {
            if (_partitions.TryGetValue(key, out var partition))
            {
                states.Add(partition);
                if (partition.Held.Count > 0)
                {
                    ReturnHeld(partition);
                    _parked.Remove(partition);
                }
            }
        }
        // Drain the revoked partitions' running jobs (bounded) so their offsets are committed before another
        // member reads them; whatever is still running after the bound may run twice (at-least-once).
        var start = _time.GetTimestamp();
        var drained = states.Sum(s => Volatile.Read(ref s.InFlight));
        while (states.Any(s => Volatile.Read(ref s.InFlight) > 0) && _time.GetElapsedTime(start) < _options.ShutdownDrainTimeout)
        {
            _completed.Wait(TimeSpan.FromMilliseconds(20));
            DrainCompletions();
        }
        DrainCompletions();
        CommitProgress(durable: true, states);
        foreach (var partition in states)
        {
            partition.Owned = false;
            _partitions.Remove(partition.Partition);
        }
        DispatcherLog.Revoked(_logger, string.Join(", ", revoked), drained);
    }

    // ---------------------------------------------------------------- workers

    private async Task ExecuteAsync(PartitionState partition, LogRecord record)
    {
        var done = false;
        var type = partition.Route.Type;
        try
        {
            done = await RunAndRouteAsync(partition, record, type);
        }
#pragma warning disable CA1031 // Reported; the record stays uncommitted and is redelivered after a restart.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DispatcherLog.LoopCrashed(_logger, e);
        }
        finally
        {
            Interlocked.Decrement(ref type.InFlight);
            Interlocked.Decrement(ref partition.Budget.InFlight);
            Interlocked.Decrement(ref partition.InFlight);
            _completions.Enqueue((partition, record.Offset, done));
            Interlocked.Decrement(ref _inFlight);
            if (Interlocked.Increment(ref _completionsSinceWake) >= Volatile.Read(ref _wakeAfter))
            {
                _completed.Set();
            }
        }
    }

    /// <summary>Runs one record to a durable outcome. Returns false when the outcome is not durable (shutdown): the offset then stays uncommitted.</summary>
    private async Task<bool> RunAndRouteAsync(PartitionState partition, LogRecord record, TypeState type)
    {
        var kind = partition.Route.Kind;
        var isRetry = kind == RouteKind.Retry;
        var attempt = isRetry ? (int)(ReadLong(record, CourierHeaders.Attempts) ?? 1) : 1;
        var backpressures = (int)(ReadLong(record, CourierHeaders.BackpressureCount) ?? 0);
        // A job starts once: when first read from its job topic (for a partitioned rule that is the forwarding
        // hop, and its read from the partitioned topic is not a second start).
        if (kind is RouteKind.Job or RouteKind.Partitioner)
        {
            Interlocked.Increment(ref type.Started);
            if (record.GetHeader(CourierHeaders.ReplayOf) is not null)
            {
                // A replay is a new start of the job, counted on its own so a replay is never invisible.
                Interlocked.Increment(ref type.Replayed);
                _telemetry.Replayed.Add(1, new KeyValuePair<string, object?>("job.type", type.Name));
            }
        }
        var decoded = _gate.Decode(record.Value.Span);
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
        else if (_gate.Check(jobEvent) is { Passed: false } contract)
        {
            result = contract.ToJobResult(); // dead-lettered with the exact reason, never retried
        }
        else if (kind == RouteKind.Partitioner)
        {
            return await ForwardToPartitionAsync(record, type, jobEvent);
        }
        else if ((!isRetry || record.GetHeader(CourierHeaders.FailureClass) is null)
            && jobEvent.DelayUntil is { } delayUntil && delayUntil > _time.GetUtcNow())
        {
            // A delayed job waits in a retry tier, not in a sleeping worker (the original slept reenqueue_delay, then
            // re-produced the event). A delay longer than the largest tier takes several hops.
            if (!isRetry)
            {
                Interlocked.Increment(ref type.Delayed);
            }
            return await WriteRetryAsync(record, type, jobEvent, attempt: 1, backpressures, delayUntil - _time.GetUtcNow(),
                failure: null, message: null, kind: "delay");
        }
        else
        {
            if (kind is RouteKind.Job or RouteKind.Partitioned)
            {
                _telemetry.StartDelay.Record((_time.GetUtcNow() - jobEvent.Meta.Dt).TotalSeconds, new KeyValuePair<string, object?>("job.type", type.Name));
            }
            Interlocked.Increment(ref type.Executions);
            var started = _time.GetTimestamp();
            result = await ExecuteOnceAsync(record, jobEvent, type, attempt);
            if (_deadlines.IsAborted && !result.IsSuccess)
            {
                return false; // cancelled by shutdown: not an outcome; redelivered after restart
            }
            _telemetry.Duration.Record(_time.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>("job.type", type.Name),
                new KeyValuePair<string, object?>("outcome", result.IsSuccess ? "succeeded" : result.Failure!.Value.ToWireName()));
        }
        return await RouteAsync(record, type, jobEvent, attempt, backpressures, result);
    }

    private async Task<JobResult> ExecuteOnceAsync(LogRecord record, JobEvent jobEvent, TypeState type, int attempt)
    {
        var deadline = _deadlines.Start(type.Rule.Timeout);
        using var activity = _telemetry.ActivitySource.StartActivity("process " + type.Name, ActivityKind.Consumer);
        activity?.SetTag("messaging.destination.name", type.JobTopic);
        activity?.SetTag("courier.job.attempt", attempt);
        var inFlightTag = new KeyValuePair<string, object?>("job.type", type.Name);
        _telemetry.InFlight.Add(1, inFlightTag);
        try
        {
            var execution = new JobExecution
            {
                Event = jobEvent,
                RawEvent = record.Value,
                Context = new JobContext
                {
                    Attempt = attempt,
                    Topic = type.JobTopic,
                    Source = record.Position,
                    Timeout = type.Rule.Timeout,
                },
            };
            var result = await type.Executor.ExecuteAsync(execution, deadline.Token);
            if (!result.IsSuccess && deadline.TimedOut && result.Failure == FailureClass.Retryable)
            {
                result = JobResult.Retry($"timed out after {type.Rule.Timeout}: {result.Message}");
            }
            return result;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return JobResult.Retry($"timed out after {type.Rule.Timeout}");
        }
#pragma warning disable CA1031 // Executors should not throw; if one does, its exception is the job's outcome.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return JobResult.FromException(e);
        }
        finally
        {
            _deadlines.Finish(deadline);
            _telemetry.InFlight.Add(-1, inFlightTag);
        }
    }

    private async Task<bool> RouteAsync(LogRecord record, TypeState type, JobEvent? jobEvent, int attempt, int backpressures, JobResult result)
    {
        var jobId = jobEvent?.Meta.Id ?? "(undecodable)";
        if (result.IsSuccess)
        {
            Interlocked.Increment(ref type.Succeeded);
            CountOutcome(type, "succeeded", null);
            return true;
        }
        var failure = result.Failure!.Value;
        if (failure != FailureClass.Decode && type.Rule.Ignore.Contains(failure))
        {
            DispatcherLog.Ignored(_logger, jobId, type.Name, failure.ToWireName(), result.Message);
            Interlocked.Increment(ref type.Ignored);
            CountOutcome(type, "ignored", failure);
            return true;
        }
        switch (failure)
        {
            case FailureClass.Retryable when attempt <= type.Rule.Retry.Limit:
            {
                var delay = type.Rule.Retry.DelayFor(attempt);
                DispatcherLog.Retrying(_logger, jobId, type.Name, attempt, failure.ToWireName(), attempt, type.Rule.Retry.Limit, delay, result.Message);
                if (!await WriteRetryAsync(record, type, jobEvent, attempt + 1, backpressures, delay, failure, result.Message, kind: "retry"))
                {
                    return false;
                }
                Interlocked.Increment(ref type.Retried);
                _telemetry.Retries.Add(1, new KeyValuePair<string, object?>("job.type", type.Name), new KeyValuePair<string, object?>("failure.class", failure.ToWireName()));
                CountOutcome(type, "retried", failure);
                return true;
            }
            case FailureClass.Backpressure when backpressures < _options.MaxBackpressureWaits:
            {
                var delay = result.RetryAfter is { } after && after > TimeSpan.Zero ? after : TimeSpan.FromSeconds(30);
                DispatcherLog.Backpressure(_logger, jobId, type.Name, failure.ToWireName(), delay, result.Message);
                // Backpressure spends no attempt: the original re-counted read-only retries the same way (T204154).
                if (!await WriteRetryAsync(record, type, jobEvent, attempt, backpressures + 1, delay, failure, result.Message, kind: "backpressure"))
                {
                    return false;
                }
                Interlocked.Increment(ref type.Backpressured);
                CountOutcome(type, "backpressure", failure);
                return true;
            }
            default:
                if (failure == FailureClass.Decode)
                {
                    DispatcherLog.DecodeFailed(_logger, record.Position.ToString(), jobId, type.Name, result.DecodeReason ?? DecodeReasons.Executor, result.Message);
                }
                else
                {
                    DispatcherLog.DeadLettered(_logger, jobId, type.Name, attempt, failure.ToWireName(), result.Message);
                }
                if (!await WriteDeadLetterAsync(record, type, jobEvent, attempt, failure, result.Message))
                {
                    return false;
                }
                type.CountDeadLetter(failure);
                _telemetry.DeadLetters.Add(1, new KeyValuePair<string, object?>("job.type", type.Name), new KeyValuePair<string, object?>("failure.class", failure.ToWireName()));
                if (failure == FailureClass.Decode)
                {
                    _telemetry.DecodeFailures.Add(1, new KeyValuePair<string, object?>("job.type", type.Name),
                        new KeyValuePair<string, object?>("reason", result.DecodeReason ?? DecodeReasons.Executor));
                }
                CountOutcome(type, "dead_lettered", failure);
                return true;
        }
    }

    /// <summary>
    /// The partitioner hop: the record goes, unchanged and with its headers, to the partition of the partitioned
    /// topic its key maps to. The job topic's offset completes once the copy is durable.
    /// </summary>
    private async Task<bool> ForwardToPartitionAsync(LogRecord record, TypeState type, JobEvent jobEvent)
    {
        var spec = type.Rule.Partition!;
        var key = PartitionKey(spec.Key, jobEvent);
        var target = key is not null && spec.Map.TryGetValue(key, out var mapped) ? mapped : spec.Default;
        // The job topic stays the job's origin (where a replay goes back to), not the partitioned topic.
        var outgoing = new OutgoingRecord(_courierOptions.Topics.PartitionedTopic(type.JobTopic), record.Key, record.Value,
            [.. record.Headers, .. OriginOf(record)], Partition: target);
        if (!await ProduceDurablyAsync(outgoing, "partitioned", jobEvent.Meta.Id))
        {
            return false;
        }
        Interlocked.Increment(ref type.Partitioned);
        return true;
    }

    /// <summary>The value a partition key names: the database, or a string or number at a dotted path into params.</summary>
    private static string? PartitionKey(string key, JobEvent jobEvent)
    {
        if (key == "database")
        {
            return jobEvent.Database;
        }
        var node = jobEvent.Params;
        foreach (var segment in key["params.".Length..].Split('.'))
        {
            if (node.ValueKind != System.Text.Json.JsonValueKind.Object || !node.TryGetProperty(segment, out node))
            {
                return null;
            }
        }
        return node.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => node.GetString(),
            System.Text.Json.JsonValueKind.Number => node.GetRawText(),
            _ => null,
        };
    }

    private void CountLogError(string operation) =>
        _telemetry.LogErrors.Add(1, new KeyValuePair<string, object?>("operation", operation));

    private void CountOutcome(TypeState type, string outcome, FailureClass? failure)
    {
        var tags = new TagList
        {
            { "job.type", type.Name },
            { "outcome", outcome },
        };
        if (failure is { } f)
        {
            tags.Add("failure.class", f.ToWireName());
        }
        _telemetry.Outcomes.Add(1, tags);
    }

    private Task<bool> WriteRetryAsync(LogRecord record, TypeState type, JobEvent? jobEvent, int attempt, int backpressures,
        TimeSpan delay, FailureClass? failure, string? message, string kind)
    {
        // Retry delays of the rules always have a tier of their own. A far delay_until hops through the largest
        // tier (re-checked on each hop); a Retry-After beyond the largest tier is capped at it. Either way no
        // far-future record sits at the head of a partition holding up the records behind it.
        var largest = _tiers.Tiers[^1].Delay;
        var hop = delay > largest ? largest : delay;
        var tier = _tiers.For(hop);
        var due = _time.GetUtcNow() + hop;
        var headers = OriginHeaders(record, type, jobEvent);
        headers.Add(Header(CourierHeaders.Attempts, attempt.ToString(CultureInfo.InvariantCulture)));
        headers.Add(Header(CourierHeaders.BackpressureCount, backpressures.ToString(CultureInfo.InvariantCulture)));
        headers.Add(Header(CourierHeaders.DueAt, due.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
        if (failure is { } f)
        {
            headers.Add(Header(CourierHeaders.FailureClass, f.ToWireName()));
            headers.Add(Header(CourierHeaders.FailureMessage, Truncate(message)));
        }
        var topic = _courierOptions.Topics.RetryTopic(type.JobTopic, tier);
        return ProduceDurablyAsync(new OutgoingRecord(topic, record.Key, record.Value, headers), kind, jobEvent?.Meta.Id);
    }

    private Task<bool> WriteDeadLetterAsync(LogRecord record, TypeState type, JobEvent? jobEvent, int attempts, FailureClass failure, string? message)
    {
        var headers = OriginHeaders(record, type, jobEvent);
        headers.Add(Header(CourierHeaders.Attempts, attempts.ToString(CultureInfo.InvariantCulture)));
        headers.Add(Header(CourierHeaders.FailureClass, failure.ToWireName()));
        headers.Add(Header(CourierHeaders.FailureMessage, Truncate(message)));
        headers.Add(Header(CourierHeaders.Executor, type.Executor.Name));
        headers.Add(Header(CourierHeaders.DispatcherVersion, _version));
        headers.Add(Header(CourierHeaders.FailedAt, _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));
        return ProduceDurablyAsync(new OutgoingRecord(_courierOptions.Topics.ErrorTopic, record.Key, record.Value, headers), "dead-letter", jobEvent?.Meta.Id);
    }

    private List<LogHeader> OriginHeaders(LogRecord record, TypeState type, JobEvent? jobEvent)
    {
        var headers = new List<LogHeader>(12) { Header(CourierHeaders.JobType, type.Name) };
        if (jobEvent is not null)
        {
            headers.Add(Header(CourierHeaders.JobId, jobEvent.Meta.Id));
            if (jobEvent.Meta.Producer is { } producer)
            {
                headers.Add(Header(CourierHeaders.ProducerVersion, producer.Name + "/" + producer.Version));
            }
        }
        if (record.GetHeader(CourierHeaders.OriginTopic) is null)
        {
            // First attempt: this record is the origin.
            headers.AddRange(OriginOf(record));
        }
        else
        {
            foreach (var name in (ReadOnlySpan<string>)[CourierHeaders.OriginTopic, CourierHeaders.OriginPartition, CourierHeaders.OriginOffset, CourierHeaders.FirstAttemptAt])
            {
                if (record.GetHeader(name) is { } value)
                {
                    headers.Add(new LogHeader(name, value));
                }
            }
        }
        if (record.GetHeader(CourierHeaders.FirstAttemptAt) is null)
        {
            headers.Add(Header(CourierHeaders.FirstAttemptAt, _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)));
        }
        return headers;
    }

    /// <summary>
    /// Appends a retry or dead-letter record and waits until the log has it. A failed write is retried with back-off
    /// (and logged at error) for as long as the dispatcher runs: the job's offset is not committed until its
    /// outcome is durable, so a write failure can delay a job but never lose it.
    /// </summary>
    private async Task<bool> ProduceDurablyAsync(OutgoingRecord outgoing, string kind, string? jobId)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await _producer!.ProduceAsync([outgoing], _deadlines.AbortToken);
                return true;
            }
            catch (OperationCanceledException) when (_deadlines.IsAborted)
            {
                return false;
            }
#pragma warning disable CA1031 // Any log failure is retried; it is logged at error each time.
            catch (Exception e)
#pragma warning restore CA1031
            {
                DispatcherLog.RouteFailed(_logger, e, kind, jobId ?? "(undecodable)", outgoing.Topic, delay);
                CountLogError("produce");
                try
                {
                    await Task.Delay(delay, _time, _deadlines.AbortToken);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private static LogHeader[] OriginOf(LogRecord record) =>
    [
        Header(CourierHeaders.OriginTopic, record.Topic),
        Header(CourierHeaders.OriginPartition, record.Partition.ToString(CultureInfo.InvariantCulture)),
        Header(CourierHeaders.OriginOffset, record.Offset.ToString(CultureInfo.InvariantCulture)),
    ];

    private static LogHeader Header(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));

    private static string Truncate(string? message) =>
        message is null ? "" : message.Length <= 4000 ? message : message[..4000] + "…";

    private static long? ReadLong(LogRecord record, string header) =>
        record.GetHeader(header) is { } bytes && long.TryParse(Encoding.UTF8.GetString(bytes), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}
