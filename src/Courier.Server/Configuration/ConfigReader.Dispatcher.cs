namespace Courier.Server;

/// <summary>The <c>dispatcher</c> section: group, timing, retry tiers, the default rule, rules and patterns.</summary>
internal sealed partial class ConfigReader
{
    private DispatcherConfig Dispatcher(ConfigSection node)
    {
        string? groupId = null;
        TimeSpan? commitInterval = null, drain = null;
        List<TimeSpan>? tiers = null;
        RuleConfig? defaults = null;
        Dictionary<string, RuleConfig>? rules = null;
        Dictionary<string, PatternConfig>? patterns = null;
        foreach (var (key, value) in Map(node))
        {
            switch (key.ToLowerInvariant())
            {
                case "group_id": groupId = NonEmptyString(value); break;
                case "commit_interval": commitInterval = Duration(value, allowZero: false); break;
                case "shutdown_drain_timeout": drain = Duration(value, allowZero: true); break;
                case "retry_tiers": tiers = value.IsNull ? null : RetryTiers(value); break;
                case "defaults":
                    defaults = value.IsNull ? null : Rule(value, out _, allowTopics: false);
                    if (defaults?.Partition is not null)
                    {
                        throw Error(value, "'partition' belongs in a rule of its own type (dispatcher.rules.<type>.partition), not in defaults");
                    }
                    break;
                case "rules": rules = value.IsNull ? null : Rules(value); break;
                case "patterns": patterns = value.IsNull ? null : Patterns(value); break;
                default: throw Unknown(node, key, value);
            }
        }
        return new DispatcherConfig
        {
            GroupId = groupId,
            CommitInterval = commitInterval,
            ShutdownDrainTimeout = drain,
            RetryTiers = tiers,
            Defaults = defaults ?? new RuleConfig(),
            Rules = rules ?? [],
            Patterns = patterns ?? [],
        };
    }

    private Dictionary<string, PatternConfig> Patterns(ConfigSection node)
    {
        var patterns = new Dictionary<string, PatternConfig>(StringComparer.Ordinal);
        foreach (var (name, value) in Map(node))
        {
            var rule = Rule(value, out var topics, allowTopics: true);
            if (topics is null)
            {
                throw Error(value, "needs 'topics': a regular expression over topic names starting with '^', e.g. '^mediawiki\\.job\\..*'");
            }
            patterns[name] = new PatternConfig { Topics = topics, Rule = rule };
        }
        return patterns;
    }

    private List<TimeSpan> RetryTiers(ConfigSection node) =>
        List(node)?.Select(item => Duration(item, allowZero: false)!.Value).ToList()
        ?? throw Error(node, $"must be a list of durations, got {node.Describe()}");

    private Dictionary<string, RuleConfig> Rules(ConfigSection node)
    {
        var rules = new Dictionary<string, RuleConfig>(StringComparer.Ordinal);
        foreach (var (type, value) in Map(node))
        {
            if (type.Length == 0 || type.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw Error(node, $"'{type}' is not a job type (a type has no whitespace or control characters)");
            }
            rules[type] = Rule(value, out _, allowTopics: false);
        }
        return rules;
    }

    private RuleConfig Rule(ConfigSection node, out string? topics, bool allowTopics)
    {
        topics = null;
        int? concurrency = null;
        TimeSpan? timeout = null;
        RetryConfig? retry = null;
        List<FailureClass>? ignore = null;
        PartitionSpec? partition = null;
        string? runner = null;
        foreach (var (key, value) in Map(node))
        {
            switch (key.ToLowerInvariant())
            {
                case "concurrency": concurrency = Int(value, min: 1); break;
                case "timeout": timeout = Duration(value, allowZero: false); break;
                case "retry": retry = value.IsNull ? null : Retry(value); break;
                case "ignore": ignore = value.IsNull ? null : Ignore(value); break;
                case "topics" when allowTopics: topics = NonEmptyString(value); break;
                case "partition" when !allowTopics: partition = value.IsNull ? null : Partition(value); break;
                case "runner": runner = NonEmptyString(value); break;
                default: throw Unknown(node, key, value);
            }
        }
        return new RuleConfig { Concurrency = concurrency, Timeout = timeout, Retry = retry, Ignore = ignore, Partition = partition, Runner = runner };
    }

    private PartitionSpec Partition(ConfigSection node)
    {
        var spec = new PartitionSpec();
        foreach (var (key, value) in Map(node))
        {
            switch (key.ToLowerInvariant())
            {
                case "key": spec.Key = NonEmptyString(value) ?? spec.Key; break;
                case "default": spec.Default = Int(value, min: 0) ?? 0; break;
                case "partitions": spec.Partitions = Int(value, min: 1) ?? 0; break;
                case "map":
                    foreach (var (keyValue, partition) in Map(value))
                    {
                        spec.Map[keyValue] = Int(partition, min: 0) ?? 0;
                    }
                    break;
                default: throw Unknown(node, key, value);
            }
        }
        return spec;
    }

    private RetryConfig Retry(ConfigSection node)
    {
        int? limit = null;
        TimeSpan? delay = null;
        double? factor = null;
        foreach (var (key, value) in Map(node))
        {
            switch (key.ToLowerInvariant())
            {
                // 0 is a value like any other: it means no retries. (The original's `retry_limit || 2` turned a
                // configured 0 into 2; nothing here substitutes a default for a value that is present.)
                case "limit": limit = Int(value, min: 0, tooSmall: "must be 0 or more (0 means no retries)"); break;
                case "delay": delay = Duration(value, allowZero: true); break;
                case "factor": factor = Factor(value); break;
                default: throw Unknown(node, key, value);
            }
        }
        return new RetryConfig { Limit = limit, Delay = delay, Factor = factor };
    }

    private List<FailureClass> Ignore(ConfigSection node)
    {
        var items = List(node) ?? throw Error(node, $"must be a list of failure classes, got {node.Describe()}");
        var classes = new List<FailureClass>();
        foreach (var item in items)
        {
            var name = String(item);
            if (!FailureClasses.TryParse(name, out var failureClass))
            {
                throw Error(item, $"unknown failure class '{name}' (expected retryable, permanent or backpressure)");
            }
            if (failureClass == FailureClass.Decode)
            {
                throw Error(item, "decode failures cannot be ignored; they are always dead-lettered");
            }
            classes.Add(failureClass);
        }
        return classes;
    }
}
