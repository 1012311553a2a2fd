namespace Courier.Server;

/// <summary>Checks of the <c>dispatcher</c> section: group, timing, retry tiers, the default rule, rules and patterns.</summary>
internal sealed partial class ConfigChecks
{
    private void Dispatcher(DispatcherConfig dispatcher, ConfigAt at)
    {
        NotEmpty(dispatcher.GroupId, at["group_id"]);
        Positive(dispatcher.CommitInterval, at["commit_interval"]);
        for (var i = 0; i < (dispatcher.RetryTiers?.Count ?? 0); i++)
        {
            Positive(dispatcher.RetryTiers![i], at["retry_tiers"][i]);
        }
        Rule(dispatcher.Defaults, at["defaults"]);
        if (dispatcher.Defaults.Partition is not null)
        {
            throw Error(at["defaults"], "'partition' belongs in a rule of its own type (dispatcher.rules.<type>.partition), not in defaults");
        }
        foreach (var (type, rule) in dispatcher.Rules)
        {
            NoWhitespace(type, at["rules"], "job type");
            Rule(rule, at["rules"][type]);
        }
        foreach (var (name, pattern) in dispatcher.Patterns)
        {
            var patternAt = at["patterns"][name];
            if (pattern.Partition is not null)
            {
                throw new CourierConfigException(file, patternAt.Path, "unknown key 'partition'", order.LineOf(patternAt["partition"].Key));
            }
            NotEmpty(pattern.Topics, patternAt["topics"]);
            if (pattern.Topics is null)
            {
                throw Error(patternAt, "needs 'topics': a regular expression over topic names starting with '^', e.g. '^mediawiki\\.job\\..*'");
            }
            Rule(pattern, patternAt);
        }
    }

    private void Rule(RuleConfig rule, ConfigAt at)
    {
        AtLeast(rule.Concurrency, 1, at["concurrency"]);
        Positive(rule.Timeout, at["timeout"]);
        NotEmpty(rule.Runner, at["runner"]);
        // 0 is a value like any other: it means no retries. (The original's `retry_limit || 2` turned a configured 0
        // into 2; nothing here substitutes a default for a value that is present.)
        AtLeast(rule.Retry?.Limit, 0, at["retry"]["limit"], tooSmall: "must be 0 or more (0 means no retries)");
        if (rule.Retry?.Factor is { } factor && (!double.IsFinite(factor) || factor < 1))
        {
            throw Error(at["retry"]["factor"], double.IsFinite(factor)
                ? $"must be at least 1 (delays must not shrink), got {configuration[at["retry"]["factor"].Key]}"
                : $"must be a number, got '{configuration[at["retry"]["factor"].Key]}'");
        }
        for (var i = 0; i < (rule.Ignore?.Count ?? 0); i++)
        {
            var failureClass = rule.Ignore![i];
            if (failureClass == FailureClass.Decode)
            {
                throw Error(at["ignore"][i], "decode failures cannot be ignored; they are always dead-lettered");
            }
        }
        if (rule.Partition is { } partition)
        {
            var partitionAt = at["partition"];
            NotEmpty(partition.Key, partitionAt["key"]);
            AtLeast(partition.Default, 0, partitionAt["default"]);
            if (configuration[partitionAt["partitions"].Key] is not null)
            {
                AtLeast(partition.Partitions, 1, partitionAt["partitions"]);
            }
            foreach (var (value, number) in partition.Map)
            {
                AtLeast(number, 0, partitionAt["map"][value]);
            }
        }
    }
}
