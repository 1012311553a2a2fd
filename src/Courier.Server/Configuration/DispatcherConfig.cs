using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>The <c>dispatcher</c> section of the configuration file.</summary>
public sealed class DispatcherConfig
{
    /// <summary><c>group_id</c>: the dispatcher's consumer group.</summary>
    [ConfigurationKeyName("group_id")]
    public string? GroupId { get; init; }

    /// <summary><c>commit_interval</c>: how often completed offsets are committed.</summary>
    [ConfigurationKeyName("commit_interval")]
    public Duration? CommitInterval { get; init; }

    /// <summary><c>shutdown_drain_timeout</c>: how long in-flight jobs may run on shutdown.</summary>
    [ConfigValue(AllowZero = true)]
    [ConfigurationKeyName("shutdown_drain_timeout")]
    public Duration? ShutdownDrainTimeout { get; init; }

    /// <summary><c>cancel_ttl</c>: how long a cancellation applies to a job not reached yet (default 7d).</summary>
    [ConfigurationKeyName("cancel_ttl")]
    public Duration? CancelTtl { get; init; }

    /// <summary>
    /// <c>ledger</c>: write the outcome ledger (<see cref="DispatcherOptions.OutcomeLedger"/>), one entry per terminal
    /// outcome, for <c>courier audit</c>. <c>courier up</c> and <c>courier serve</c> write it unless this is false.
    /// </summary>
    [ConfigurationKeyName("ledger")]
    public bool? Ledger { get; init; }

    /// <summary><c>retry_tiers</c>: extra retry delay tiers (replacing the built-in list when given).</summary>
    [ConfigurationKeyName("retry_tiers")]
    public ConfigList<Duration>? RetryTiers { get; init; }

    /// <summary><c>defaults</c>: the rule of job types without their own, and the base of every rule.</summary>
    [ConfigurationKeyName("defaults")]
    public RuleConfig Defaults { get; init; } = new();

    /// <summary><c>rules</c>: one rule per job type, keyed by type, in file order.</summary>
    [ConfigurationKeyName("rules")]
    public IReadOnlyDictionary<string, RuleConfig> Rules { get; init; } = new Dictionary<string, RuleConfig>();

    /// <summary><c>patterns</c>: topic-pattern rules by name (the original's <c>low_traffic_jobs</c>), each with <c>topics</c> and rule keys.</summary>
    [ConfigurationKeyName("patterns")]
    public IReadOnlyDictionary<string, PatternConfig> Patterns { get; init; } = new Dictionary<string, PatternConfig>();
}
