using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>A rule in the configuration file (<c>dispatcher.defaults</c> or <c>dispatcher.rules.&lt;type&gt;</c>).</summary>
public class RuleConfig
{
    /// <summary><c>concurrency</c>: most jobs of the type running at once.</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("concurrency")]
    public int? Concurrency { get; init; }

    /// <summary><c>timeout</c>: time limit of one execution.</summary>
    [ConfigurationKeyName("timeout")]
    public Duration? Timeout { get; init; }

    /// <summary><c>retry</c>: retries of retryable failures.</summary>
    [ConfigurationKeyName("retry")]
    public RetryConfig? Retry { get; init; }

    /// <summary><c>ignore</c>: failure classes counted as done (<c>retryable</c>, <c>permanent</c>, <c>backpressure</c>).</summary>
    [ConfigurationKeyName("ignore")]
    public ConfigList<FailureClass>? Ignore { get; init; }

    /// <summary><c>partition</c>: <c>key</c> (<c>database</c> or <c>params.&lt;path&gt;</c>), <c>map</c> (value → partition), <c>default</c>, <c>partitions</c>; per type only.</summary>
    [ConfigurationKeyName("partition")]
    public PartitionSpec? Partition { get; init; }

    /// <summary><c>probe</c>: <c>every</c>, <c>params</c> (a JSON object as text), <c>database</c>; a synthetic probe of the type, per type only.</summary>
    [ConfigurationKeyName("probe")]
    public ProbeConfig? Probe { get; init; }

    /// <summary>
    /// <c>runner</c>: the runner pool (a key of <c>runners</c>) the type's jobs are POSTed to, or <see cref="InProcess"/>
    /// to run them in this process even when <c>defaults</c> names a pool.
    /// </summary>
    [ConfigurationKeyName("runner")]
    public string? Runner { get; init; }

    /// <summary><c>breaker</c>: the type's circuit breaker settings, or <c>off</c>.</summary>
    [ConfigValue(AllowOff = true)]
    [ConfigurationKeyName("breaker")]
    public BreakerConfig? Breaker { get; init; }

    /// <summary><c>dedupe</c>: deduplication and root-job supersession (<c>window</c>, default 1d), or <c>off</c>; on by default.</summary>
    [ConfigValue(AllowOff = true)]
    [ConfigurationKeyName("dedupe")]
    public DedupeConfig? Dedupe { get; init; }

    /// <summary><c>claim_ttl</c>: a job older than this when reached is abandoned (default: never).</summary>
    [ConfigurationKeyName("claim_ttl")]
    public Duration? ClaimTtl { get; init; }

    /// <summary><c>root_claim_ttl</c>: a job whose root job is older than this when reached is abandoned (default: never).</summary>
    [ConfigurationKeyName("root_claim_ttl")]
    public Duration? RootClaimTtl { get; init; }
    /// <summary><c>rate_limit</c>: <c>per_second</c> and <c>per_database</c>, jobs started per second (off by default).</summary>
    [ConfigurationKeyName("rate_limit")]
    public RateLimitConfig? RateLimit { get; init; }

    /// <summary>The <c>runner</c> value that runs jobs in this process (the default when no rule names a pool).</summary>
    public const string InProcess = "in-process";

    /// <summary>The rule for <paramref name="type"/>: these values where set, <paramref name="fallback"/>'s elsewhere.</summary>
    public JobRule Resolve(string type, JobRule fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new JobRule
        {
            Type = type,
            Concurrency = Concurrency ?? fallback.Concurrency,
            Timeout = Timeout?.TimeSpan ?? fallback.Timeout,
            Retry = new RetryPolicy
            {
                // `??`, never `||`: the original read `retry_limit || 2`, so a configured 0 silently became 2
                // retries (docs/original-system.md, "Dispatcher rules"). A limit of 0 here means no retries.
                Limit = Retry?.Limit ?? fallback.Retry.Limit,
                Delay = Retry?.Delay?.TimeSpan ?? fallback.Retry.Delay,
                Factor = Retry?.Factor ?? fallback.Retry.Factor,
            },
            Ignore = Ignore is null ? [.. fallback.Ignore] : [.. Ignore],
            Partition = Partition,
            Probe = Probe?.ToSpec(),
            Runner = Runner is null ? fallback.Runner : Runner == InProcess ? null : Runner,
            Breaker = Breaker?.Resolve(fallback.Breaker) ?? fallback.Breaker,
            Dedupe = Dedupe?.Resolve(fallback.Dedupe) ?? fallback.Dedupe,
            ClaimTtl = ClaimTtl?.TimeSpan ?? fallback.ClaimTtl,
            RootClaimTtl = RootClaimTtl?.TimeSpan ?? fallback.RootClaimTtl,
            RateLimit = RateLimit?.Resolve(fallback.RateLimit) ?? fallback.RateLimit,
        };
    }
}
