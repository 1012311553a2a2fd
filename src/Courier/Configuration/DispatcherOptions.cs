using Courier.Configuration;
using Courier.Recurring;

namespace Courier;

/// <summary>Settings of the dispatcher.</summary>
public sealed class DispatcherOptions
{
    /// <summary>Consumer group of the dispatcher (the original used <c>change-prop-&lt;rule&gt;</c>).</summary>
    public string GroupId { get; set; } = "courier-dispatcher";

    /// <summary>One rule per job type. Types without a rule use <see cref="DefaultRule"/> if they are listed in <see cref="JobTypes"/>.</summary>
    public IList<JobRule> Rules { get; init; } = [];

    /// <summary>Settings applied to job types without their own rule; its <c>Type</c> is ignored.</summary>
    public JobRule DefaultRule { get; set; } = new() { Type = "*" };

    /// <summary>Rules over topic-name patterns; a type with its own rule is never governed by a pattern.</summary>
    public IList<TopicPatternRule> PatternRules { get; init; } = [];

    /// <summary>Pools of HTTP runners by name; a rule sends its jobs to one with <see cref="JobRule.Runner"/>.</summary>
    public IList<RunnerPoolOptions> RunnerPools { get; init; } = [];

    /// <summary>Extra job types to consume with the default rule (besides those with rules).</summary>
    public IList<string> JobTypes { get; init; } = [];

    /// <summary>
    /// Jobs enqueued on a cron schedule, each tick once across the dispatchers sharing a state store
    /// (docs/operations.md, "Recurring jobs"). Names are unique.
    /// </summary>
    public IList<RecurringJob> Recurring { get; init; } = [];

    /// <summary>
    /// When true, every terminal outcome is appended to the outcome ledger (<see cref="TopicNames.OutcomeLedgerTopic"/>,
    /// a <see cref="Ledger.LedgerEntry"/> per job) before the job's offset completes, so <c>courier audit</c> can prove
    /// from durable data that no job was lost. Off by default in the library; <c>courier up</c> and
    /// <c>courier serve</c> turn it on unless the configuration says <c>dispatcher.ledger: false</c>.
    /// </summary>
    public bool OutcomeLedger { get; set; }

    /// <summary>How often completed offsets are committed.</summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often the dispatcher reads its group's consumer lag from the log for the lag metrics.</summary>
    public TimeSpan LagRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>On shutdown, how long in-flight jobs may run before they are cancelled (and later redelivered).</summary>
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest a stop may take: <see cref="ShutdownDrainTimeout"/> plus 10 s for the final commit and closing the
    /// clients. A host that stops its services within less (.NET's <c>HostOptions.ShutdownTimeout</c> is 30 s by
    /// default) cuts the drain short; set it to at least this.
    /// </summary>
    public TimeSpan StopTimeout => ShutdownDrainTimeout + TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a cancellation (<c>courier cancel</c>) lasts: a job with its id reached within this time ends
    /// <c>cancelled</c> without running. Default 7 days (the longest a job is expected to wait in the log).
    /// </summary>
    public TimeSpan CancelTtl { get; set; } = Dispatching.Cancelling.CancelControl.DefaultTtl;

    /// <summary>
    /// Backpressure waits (423/429, read-only) a job may take before it is dead-lettered with class
    /// <c>backpressure</c>. They spend no attempt, so without a bound a permanently overloaded executor would
    /// keep a job circling forever; this makes that an explicit, counted end state.
    /// </summary>
    public int MaxBackpressureWaits { get; set; } = 100;

    /// <summary>
    /// Retry delay tiers besides those the rules' retry schedules need (which are always added). A backpressure
    /// wait goes to the largest tier not longer than it, so it may run up to one tier gap late, never early.
    /// </summary>
    public IList<TimeSpan> RetryTiers { get; init; } =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(6),
    ];

    /// <summary>The rule for a type: its own, or the default rule with that type.</summary>
    public JobRule RuleFor(string jobType)
    {
        foreach (var rule in Rules)
        {
            if (string.Equals(rule.Type, jobType, StringComparison.Ordinal))
            {
                return rule;
            }
        }
        return DefaultRule.WithType(jobType);
    }

    /// <summary>Every job type the dispatcher consumes.</summary>
    public IReadOnlyList<string> AllJobTypes() =>
        Rules.Select(r => r.Type).Concat(JobTypes).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Checks every rule; throws <see cref="ArgumentException"/> naming the problem.</summary>
    public void Validate() => OptionsProblems.ThrowFirst(Problems());

    /// <summary>What is wrong with the rules, pools and timings, each naming what it is about; empty when all are valid.</summary>
    internal IEnumerable<string> Problems()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rule in Rules)
        {
            foreach (var problem in rule.Problems())
            {
                yield return problem;
            }
            if (!seen.Add(rule.Type))
            {
                yield return $"job type '{rule.Type}' has more than one rule";
            }
        }
        foreach (var problem in DefaultRule.Problems().Concat(PatternRules.SelectMany(p => p.Problems())).Concat(RunnerProblems()))
        {
            yield return problem;
        }
        if (DefaultRule.Probe is not null)
        {
            yield return "the default rule cannot have a probe: a probe belongs to the rule of its own type";
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in Recurring)
        {
            ArgumentNullException.ThrowIfNull(job);
            foreach (var problem in job.Problems())
            {
                yield return problem;
            }
            if (!names.Add(job.Name))
            {
                yield return $"recurring job '{job.Name}' is defined more than once";
            }
        }
        if (LagRefreshInterval <= TimeSpan.Zero)
        {
            yield return $"lag refresh interval must be positive, got {LagRefreshInterval}";
        }
        if (CommitInterval <= TimeSpan.Zero)
        {
            yield return $"commit interval must be positive, got {CommitInterval}";
        }
        if (CancelTtl < TimeSpan.FromSeconds(1))
        {
            yield return $"cancel ttl must be at least 1s, got {CancelTtl}";
        }
        if (MaxBackpressureWaits < 0)
        {
            yield return $"max backpressure waits must be 0 or more, got {MaxBackpressureWaits}";
        }
        if (RetryTiers.Any(t => t <= TimeSpan.Zero))
        {
            yield return "retry tiers must be positive durations";
        }
    }

    /// <summary>
    /// Pools are valid and uniquely named; every rule naming a pool names one that exists, with a timeout longer than
    /// the pool's execution limit (docs/runners.md "Timeouts").
    /// </summary>
    private IEnumerable<string> RunnerProblems()
    {
        var pools = new Dictionary<string, RunnerPoolOptions>(StringComparer.Ordinal);
        foreach (var pool in RunnerPools)
        {
            ArgumentNullException.ThrowIfNull(pool);
            foreach (var problem in pool.Problems())
            {
                yield return problem;
            }
            if (!pools.TryAdd(pool.Name, pool))
            {
                yield return $"runner pool '{pool.Name}' is defined more than once";
            }
        }
        var rules = Rules.Select(r => (Name: $"rule '{r.Type}'", Rule: r))
            .Append(("the default rule", DefaultRule))
            .Concat(PatternRules.Select(p => (Name: $"pattern rule '{p.Name}'", Rule: p.Settings)));
        foreach (var (name, rule) in rules)
        {
            if (rule.Runner is not { } poolName)
            {
                continue;
            }
            if (!pools.TryGetValue(poolName, out var pool))
            {
                var known = pools.Count == 0 ? "none is defined" : "defined: " + string.Join(", ", pools.Keys.Order(StringComparer.Ordinal));
                yield return $"{name}: runner pool '{poolName}' does not exist ({known})";
            }
            else if (rule.Timeout <= pool.ExecutionLimit)
            {
                yield return $"{name}: timeout {Seconds(rule.Timeout)} must be longer than the execution limit {Seconds(pool.ExecutionLimit)} of runner pool "
                    + $"'{pool.Name}', so that a job the runner gives up on comes back as its explained failure rather than as a "
                    + "dispatcher timeout while it still runs; raise the rule's timeout or lower the pool's execution limit";
            }
        }
    }

    private static string Seconds(TimeSpan value) =>
        value.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
