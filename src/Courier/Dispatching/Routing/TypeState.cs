using Courier.Dispatching.Breaking;

namespace Courier.Dispatching.Routing;

/// <summary>
/// Budget and counters of one job type. Counters are written by workers and read by anyone: those every job changes
/// are striped by processor (<see cref="StripedCounter"/>), the others are fields changed with Interlocked.
/// </summary>
internal sealed class TypeState(JobRule rule, string jobTopic, IJobExecutor executor)
{
    public JobRule Rule { get; } = rule;

    /// <summary>Where this type's jobs run: in process, or the rule's runner pool.</summary>
    public IJobExecutor Executor { get; } = executor;
    public string Name => Rule.Type;
    public string JobTopic { get; } = jobTopic;

    /// <summary>Jobs running: holding a running slot of the type's budget.</summary>
    public readonly StripedCounter InFlight = new();
    public readonly StripedCounter Started = new();
    public readonly StripedCounter Executions = new();
    public readonly StripedCounter Succeeded = new();
    public long Partitioned;
    public long Replayed;
    public long Ignored;
    public long Retried;
    public long Backpressured;
    public long Held;
    public long Delayed;
    public long DeadDecode;
    public long DeadRetryable;
    public long DeadPermanent;
    public long DeadBackpressure;
    public long ProbesSucceeded;
    public long ProbesFailed;
    public long Deduplicated;
    public long Superseded;
    public long Abandoned;
    public long Cancelled;

    /// <summary>The type's budget (partitioned rules have one per partition of the partitioned topic instead).</summary>
    public Budget Budget { get; } = Budget.For(rule);

    private TypePause? _operatorPause;
    private TypePause? _breakerPause;
    private int _startAllowance = -1;

    /// <summary>The type's start rate limiter; null when its rule has no per-second limit. Set once, before the dispatcher starts.</summary>
    public Limiting.TypeRateLimiter? Rate { get; set; }

    /// <summary>The type's circuit breaker; null when its rule turns it off. Set once, before the dispatcher starts.</summary>
    public Breaker? Breaker { get; set; }

    /// <summary>
    /// The pause in force (the earliest of the operator's and the breaker's, with both reasons), or null while the
    /// type runs. Set from any thread; read by the consumer thread.
    /// </summary>
    public TypePause? Pause
    {
        get
        {
            var byOperator = Volatile.Read(ref _operatorPause);
            var byBreaker = Volatile.Read(ref _breakerPause);
            return byOperator is null ? byBreaker
                : byBreaker is null ? byOperator
                : new TypePause($"{byOperator.Reason}; {byBreaker.Reason}", byOperator.Since < byBreaker.Since ? byOperator.Since : byBreaker.Since);
        }
    }

    /// <summary>
    /// True while the type's partitions must not be fetched nor its held records started: paused by anyone, or a
    /// start allowance (<see cref="SetStartAllowance"/>) spent.
    /// </summary>
    public bool IsPaused => IsPausedByAnyone || Volatile.Read(ref _startAllowance) == 0;

    /// <summary>
    /// True while an operator or the breaker pauses the type: records handed to the workers but not started wait
    /// (<see cref="Execution.SlotWaiters"/>). A spent start allowance does not count: those records spent it already.
    /// </summary>
    public bool IsPausedByAnyone => Volatile.Read(ref _operatorPause) is not null || Volatile.Read(ref _breakerPause) is not null;

    /// <summary>True while <paramref name="holder"/> holds a pause of the type.</summary>
    public bool IsPausedBy(PauseHolder holder) => Volatile.Read(ref PauseOf(holder)) is not null;

    /// <summary>Pauses the type for <paramref name="holder"/> unless it already does (the first reason and time stay); true when it changed.</summary>
    public bool TryPause(PauseHolder holder, string reason, DateTimeOffset now) =>
        Interlocked.CompareExchange(ref PauseOf(holder), new TypePause(reason, now), null) is null;

    /// <summary>Ends <paramref name="holder"/>'s pause; the pause it ended, null when it held none.</summary>
    public TypePause? TryResume(PauseHolder holder) => Interlocked.Exchange(ref PauseOf(holder), null);

    /// <summary>
    /// Lets at most <paramref name="starts"/> more jobs of the type start (the breaker's half-open trial) before it
    /// counts as paused; -1 lifts the bound. The consumer thread spends it (<see cref="SpendStart"/>).
    /// </summary>
    public void SetStartAllowance(int starts) => Volatile.Write(ref _startAllowance, starts);

    /// <summary>Spends one start of a bounded allowance (consumer thread, as a job starts).</summary>
    public void SpendStart()
    {
        int seen;
        do
        {
            seen = Volatile.Read(ref _startAllowance);
            if (seen <= 0)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _startAllowance, seen - 1, seen) != seen);
    }

    /// <summary>Gives back a start whose outcome did not count (backpressure, ignored) while the allowance is bounded; true when it did.</summary>
    public bool GiveBackStart()
    {
        int seen;
        do
        {
            seen = Volatile.Read(ref _startAllowance);
            if (seen < 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _startAllowance, seen + 1, seen) != seen);
        return true;
    }

    private ref TypePause? PauseOf(PauseHolder holder) => ref holder == PauseHolder.Breaker ? ref _breakerPause : ref _operatorPause;

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

    /// <summary>Counts a job that ended without running, in its state (a <see cref="Admission.SkippedStates"/> name).</summary>
    public void CountSkipped(string state)
    {
        switch (state)
        {
            case Admission.SkippedStates.Deduplicated: Interlocked.Increment(ref Deduplicated); break;
            case Admission.SkippedStates.Superseded: Interlocked.Increment(ref Superseded); break;
            case Admission.SkippedStates.Abandoned: Interlocked.Increment(ref Abandoned); break;
            case Admission.SkippedStates.Cancelled: Interlocked.Increment(ref Cancelled); break;
            default: throw new ArgumentOutOfRangeException(nameof(state), state, "not a skipped state");
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
            Started = Started.Value,
            Replayed = Interlocked.Read(ref Replayed),
            Succeeded = Succeeded.Value,
            Ignored = Interlocked.Read(ref Ignored),
            Retried = Interlocked.Read(ref Retried),
            Backpressured = Interlocked.Read(ref Backpressured),
            Held = Interlocked.Read(ref Held),
            Executions = Executions.Value,
            Partitioned = Interlocked.Read(ref Partitioned),
            InFlight = InFlight.Value,
            Paused = pause is not null,
            PausedByOperator = IsPausedBy(PauseHolder.Operator),
            PausedSince = pause?.Since,
            PauseReason = pause?.Reason,
            ProbesSucceeded = Interlocked.Read(ref ProbesSucceeded),
            ProbesFailed = Interlocked.Read(ref ProbesFailed),
            Deduplicated = Interlocked.Read(ref Deduplicated),
            Superseded = Interlocked.Read(ref Superseded),
            Abandoned = Interlocked.Read(ref Abandoned),
            Cancelled = Interlocked.Read(ref Cancelled),
            BreakerState = Breaker?.State.ToWireName(),
            DeadLetteredByClass = byClass,
            DeadLettered = byClass.Values.Sum(),
        };
    }
}
