namespace Courier.Server;

/// <summary>A rule in the configuration file (<c>dispatcher.defaults</c> or <c>dispatcher.rules.&lt;type&gt;</c>).</summary>
public sealed class RuleConfig
{
    /// <summary><c>concurrency</c>: most jobs of the type running at once.</summary>
    public int? Concurrency { get; init; }

    /// <summary><c>timeout</c>: time limit of one execution.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary><c>retry</c>: retries of retryable failures.</summary>
    public RetryConfig? Retry { get; init; }

    /// <summary><c>ignore</c>: failure classes counted as done (<c>retryable</c>, <c>permanent</c>, <c>backpressure</c>).</summary>
    public IReadOnlyList<FailureClass>? Ignore { get; init; }

    /// <summary><c>partition</c>: <c>key</c> (<c>database</c> or <c>params.&lt;path&gt;</c>), <c>map</c> (value → partition), <c>default</c>, <c>partitions</c>; per type only.</summary>
    public PartitionSpec? Partition { get; init; }

    /// <summary>
    /// <c>runner</c>: the runner pool (a key of <c>runners</c>) the type's jobs are POSTed to, or <see cref="InProcess"/>
    /// to run them in this process even when <c>defaults</c> names a pool.
    /// </summary>
    public string? Runner { get; init; }

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
            Timeout = Timeout ?? fallback.Timeout,
            Retry = new RetryPolicy
            {
                // `??`, never `||`: the original read `retry_limit || 2`, so a configured 0 silently became 2
                // retries (docs/original-system.md, "Dispatcher rules"). A limit of 0 here means no retries.
                Limit = Retry?.Limit ?? fallback.Retry.Limit,
                Delay = Retry?.Delay ?? fallback.Retry.Delay,
                Factor = Retry?.Factor ?? fallback.Retry.Factor,
            },
            Ignore = Ignore is null ? [.. fallback.Ignore] : [.. Ignore],
            Partition = Partition,
            Runner = Runner is null ? fallback.Runner : Runner == InProcess ? null : Runner,
        };
    }
}
