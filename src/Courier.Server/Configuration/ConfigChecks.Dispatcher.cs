using System.Text.Json;

namespace Courier.Server.Configuration;

/// <summary>Checks of the <c>dispatcher</c> section: group, timing, retry tiers, the default rule, rules and patterns.</summary>
internal sealed partial class ConfigChecks
{
    private void Dispatcher(DispatcherConfig dispatcher, ConfigAt at)
    {
        Rule(dispatcher.Defaults, at["defaults"]);
        if (dispatcher.Defaults.Partition is not null)
        {
            throw Error(at["defaults"], "'partition' belongs in a rule of its own type (dispatcher.rules.<type>.partition), not in defaults");
        }
        if (dispatcher.Defaults.Probe is not null)
        {
            throw Error(at["defaults"], "'probe' belongs in a rule of its own type (dispatcher.rules.<type>.probe), not in defaults");
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
            if (pattern.Probe is not null)
            {
                throw new CourierConfigException(file, patternAt.Path, "unknown key 'probe' (a probe belongs in a rule of its own type)",
                    order.LineOf(patternAt["probe"].Key));
            }
            if (pattern.Topics is null)
            {
                throw Error(patternAt, "needs 'topics': a regular expression over topic names starting with '^', e.g. '^mediawiki\\.job\\..*'");
            }
            Rule(pattern, patternAt);
        }
    }

    private void Rule(RuleConfig rule, ConfigAt at)
    {
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
        if (rule.Probe is { } probe)
        {
            Probe(probe, at["probe"]);
        }
        if (rule.Breaker is { IsOff: false } breaker)
        {
            Breaker(breaker, at["breaker"]);
        }
        if (rule.Dedupe is { IsOff: false, Window: { } window } && window.TimeSpan < TimeSpan.FromSeconds(1))
        {
            throw Error(at["dedupe"]["window"], $"must be at least 1s (the check compares times to the second), got {configuration[at["dedupe"]["window"].Key]}");
        }
        if (rule.Partition is { } partition)
        {
            var partitionAt = at["partition"];
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

    /// <summary>A probe's interval is positive, its params a JSON object, its database a name.</summary>
    private void Probe(ProbeConfig probe, ConfigAt at)
    {
        if (probe.Every is { } every && every.TimeSpan <= TimeSpan.Zero)
        {
            throw Error(at["every"], $"must be a positive duration (e.g. 20s), got '{configuration[at["every"].Key]}'");
        }
        if (probe.Params is { } text && JsonObjectProblem(text) is { } problem)
        {
            throw Error(at["params"], $"must be a JSON object written as text (in YAML, quoted: '{{\"title\": \"Probe\"}}'); the value {problem}");
        }
        if (probe.Database is { } database)
        {
            NoWhitespace(database, at["database"], "database");
        }
    }

    /// <summary>Why <paramref name="text"/> is not a JSON object ("is not JSON: …", "is JSON but not an object"), or null when it is one.</summary>
    private static string? JsonObjectProblem(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? null : "is JSON but not an object";
        }
        catch (JsonException e)
        {
            return "is not JSON: " + e.Message;
        }
    }

    /// <summary>A breaker's ratio is within (0, 1), its window at least a second, its longest opening no shorter than its first.</summary>
    private void Breaker(BreakerConfig breaker, ConfigAt at)
    {
        if (breaker.FailureRatio is { } ratio && !(ratio > 0 && ratio < 1))
        {
            throw Error(at["failure_ratio"], $"must be a number between 0 and 1 (exclusive), got {configuration[at["failure_ratio"].Key]}");
        }
        if (breaker.Window is { } window && window.TimeSpan < TimeSpan.FromSeconds(1))
        {
            throw Error(at["window"], $"must be at least 1s (it is cut into six buckets), got {configuration[at["window"].Key]}");
        }
        if (breaker.OpenFor is { } openFor && breaker.MaxOpenFor is { } maxOpenFor && maxOpenFor.TimeSpan < openFor.TimeSpan)
        {
            throw Error(at["max_open_for"], $"must not be shorter than open_for ({configuration[at["open_for"].Key]}), got {configuration[at["max_open_for"].Key]}");
        }
    }
}
