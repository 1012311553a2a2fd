using Courier.Configuration;

namespace Courier;

/// <summary>
/// How the dispatcher runs one job type. Defaults (documented in docs/operations.md): concurrency 10,
/// timeout 7 minutes (the original's), retry limit 2 with 1 min × 6.
/// </summary>
public sealed class JobRule
{
    /// <summary>The job type this rule is for.</summary>
    public required string Type { get; set; }

    /// <summary>Most jobs of this type running at once, across all partitions and retry tiers.</summary>
    public int Concurrency { get; set; } = 10;

    /// <summary>Time limit of one execution; the handler's token is cancelled and the job retried.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(7);

    /// <summary>Retries of retryable failures.</summary>
    public RetryPolicy Retry { get; set; } = new();

    /// <summary>
    /// Failure classes treated as done (the original's <c>ignore</c>), counted as <c>ignored</c>, never silently.
    /// </summary>
    public IList<FailureClass> Ignore { get; init; } = [];

    /// <summary>
    /// Name of the runner pool (<see cref="DispatcherOptions.RunnerPools"/>) this type's jobs are POSTed to; null runs
    /// them in this process. The <see cref="Timeout"/> must be longer than the pool's execution limit.
    /// </summary>
    public string? Runner { get; set; }

    /// <summary>The type's circuit breaker; on by default (<see cref="BreakerPolicy.Off"/> turns it off).</summary>
    public BreakerPolicy Breaker { get; set; } = new();

    /// <summary>Deduplication and root-job supersession (needs a state store); on by default with a window of one day.</summary>
    public DedupePolicy Dedupe { get; set; } = new();

    /// <summary>
    /// A job older than this when reached (counted from its <c>meta.dt</c>, or from its <c>delay_until</c> when later)
    /// is abandoned without running; null (the default) never abandons. The original's <c>claim_ttl</c>.
    /// </summary>
    public TimeSpan? ClaimTtl { get; set; }

    /// <summary>
    /// A job whose root job (<c>root_event.dt</c>) is older than this when reached is abandoned without running; null
    /// (the default) never abandons. The original's <c>root_claim_ttl</c> (one week for refreshLinks in 2019).
    /// </summary>
    public TimeSpan? RootClaimTtl { get; set; }

    /// <summary>A copy of these settings for another job type.</summary>
    public JobRule WithType(string jobType) => new()
    {
        Type = jobType,
        Concurrency = Concurrency,
        Timeout = Timeout,
        Retry = Retry,
        Ignore = Ignore,
        Runner = Runner,
        Breaker = Breaker,
        Dedupe = Dedupe,
        ClaimTtl = ClaimTtl,
        RootClaimTtl = RootClaimTtl,
        RateLimit = RateLimit,
    };

    /// <summary>
    /// Partition this type's jobs by a key before running them, with <see cref="Concurrency"/> applying to each
    /// partition of the partitioned topic (null: run them straight from the job topic).
    /// </summary>
    public PartitionSpec? Partition { get; set; }

    /// <summary>
    /// A synthetic probe of this type (null: none): a marked job written every interval through the real path, so the
    /// type is judged even without traffic. Per type only; a copy made by <see cref="WithType"/> has none.
    /// </summary>
    public ProbeSpec? Probe { get; set; }

    /// <summary>Jobs started per second, for the type and per database (null: off, the default).</summary>
    public RateLimit? RateLimit { get; set; }

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate() => OptionsProblems.ThrowFirst(Problems());

    /// <summary>What is wrong with the values, each naming the rule and the value; empty when they are valid.</summary>
    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Type))
        {
            yield return "a rule has no job type";
            yield break;
        }
        if (Concurrency < 1)
        {
            yield return $"rule '{Type}': concurrency must be at least 1, got {Concurrency}";
        }
        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"rule '{Type}': timeout must be positive, got {Timeout}";
        }
        if (Ignore.Contains(FailureClass.Decode))
        {
            yield return $"rule '{Type}': decode failures cannot be ignored; they are always dead-lettered";
        }
        if (Runner is { } runner && string.IsNullOrWhiteSpace(runner))
        {
            yield return $"rule '{Type}': runner must name a runner pool, got '{runner}'";
        }
        if (ClaimTtl is { } claimTtl && claimTtl <= TimeSpan.Zero)
        {
            yield return $"rule '{Type}': claim_ttl must be positive, got {claimTtl}";
        }
        if (RootClaimTtl is { } rootClaimTtl && rootClaimTtl <= TimeSpan.Zero)
        {
            yield return $"rule '{Type}': root_claim_ttl must be positive, got {rootClaimTtl}";
        }
        foreach (var problem in Retry.Problems(Type).Concat(Breaker.Problems(Type)).Concat(Dedupe.Problems(Type)).Concat(Partition?.Problems(Type) ?? [])
            .Concat(Probe?.Problems(Type) ?? []).Concat(RateLimit?.Problems(Type) ?? []))
        {
            yield return problem;
        }
    }
}
