namespace Courier.Dispatching.Routing;

/// <summary>Budget and counters of one job type. Counters are written by workers and read by anyone (Interlocked).</summary>
internal sealed class TypeState(JobRule rule, string jobTopic, IJobExecutor executor)
{
    public JobRule Rule { get; } = rule;

    /// <summary>Where this type's jobs run: in process, or the rule's runner pool.</summary>
    public IJobExecutor Executor { get; } = executor;
    public string Name => Rule.Type;
    public string JobTopic { get; } = jobTopic;

    public int InFlight;
    public long Partitioned;
    public long Started;
    public long Replayed;
    public long Succeeded;
    public long Ignored;
    public long Retried;
    public long Backpressured;
    public long Held;
    public long Delayed;
    public long Executions;
    public long DeadDecode;
    public long DeadRetryable;
    public long DeadPermanent;
    public long DeadBackpressure;
    public long ProbesSucceeded;
    public long ProbesFailed;

    /// <summary>The type's budget (partitioned rules have one per partition of the partitioned topic instead).</summary>
    public Budget Budget { get; } = new(rule.Concurrency);

    private TypePause? _pause;

    /// <summary>The pause in force, or null while the type runs. Set from any thread; read by the consumer thread.</summary>
    public TypePause? Pause => Volatile.Read(ref _pause);

    /// <summary>True while the type's partitions must not be fetched nor its held records started.</summary>
    public bool IsPaused => Volatile.Read(ref _pause) is not null;

    /// <summary>Pauses the type unless it already is (the first reason and time stay); true when it changed.</summary>
    public bool TryPause(string reason, DateTimeOffset now) =>
        Interlocked.CompareExchange(ref _pause, new TypePause(reason, now), null) is null;

    /// <summary>Lets the type run again; true when it was paused.</summary>
    public bool TryResume() => Interlocked.Exchange(ref _pause, null) is not null;

    public void CountDeadLetter(FailureClass failureClass)
    {
        switch (failureClass)
        {
            case FailureClass.Decode: Interlocked.Increment(ref DeadDecode); break;
            case FailureClass.Retryable: Interlocked.Increment(ref DeadRetryable); break;
            case FailureClass.Permanent: Interlocked.Increment(ref DeadPermanent); break;
            default: Interlocked.Increment(ref DeadBackpressure); break;
        }
    }

    public JobTypeStats Snapshot()
    {
        var byClass = new Dictionary<FailureClass, long>
        {
            [FailureClass.Decode] = Interlocked.Read(ref DeadDecode),
            [FailureClass.Retryable] = Interlocked.Read(ref DeadRetryable),
            [FailureClass.Permanent] = Interlocked.Read(ref DeadPermanent),
            [FailureClass.Backpressure] = Interlocked.Read(ref DeadBackpressure),
        };
        var pause = Pause;
        return new JobTypeStats
        {
            Type = Name,
            Executor = Executor.Name,
            Started = Interlocked.Read(ref Started),
            Replayed = Interlocked.Read(ref Replayed),
            Succeeded = Interlocked.Read(ref Succeeded),
            Ignored = Interlocked.Read(ref Ignored),
            Retried = Interlocked.Read(ref Retried),
            Backpressured = Interlocked.Read(ref Backpressured),
            Held = Interlocked.Read(ref Held),
            Executions = Interlocked.Read(ref Executions),
            Partitioned = Interlocked.Read(ref Partitioned),
            InFlight = Volatile.Read(ref InFlight),
            Paused = pause is not null,
            PausedSince = pause?.Since,
            PauseReason = pause?.Reason,
            ProbesSucceeded = Interlocked.Read(ref ProbesSucceeded),
            ProbesFailed = Interlocked.Read(ref ProbesFailed),
            DeadLetteredByClass = byClass,
            DeadLettered = byClass.Values.Sum(),
        };
    }
}
