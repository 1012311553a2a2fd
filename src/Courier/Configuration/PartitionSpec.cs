using Courier.Configuration;

namespace Courier;

/// <summary>
/// Routes a type's jobs through a partitioned topic, <c>&lt;service&gt;.partitioned.&lt;job topic&gt;</c>, with a
/// concurrency budget per partition — the original's refreshLinks/htmlCacheUpdate setup (by database shard, so one
/// wiki cannot starve the others; docs/original-system.md, "Dispatcher rules").
/// </summary>
public sealed class PartitionSpec
{
    /// <summary>Which value picks the partition: <c>database</c>, or a dotted path into params such as <c>params.cluster</c>.</summary>
    public string Key { get; set; } = "database";

    /// <summary>Key value → partition.</summary>
    public IDictionary<string, int> Map { get; init; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The partition of key values not in the map (the original's <c>partition_default</c>).</summary>
    public int Default { get; set; }

    /// <summary>Partitions of the partitioned topic; 0 means one more than the largest partition named.</summary>
    public int Partitions { get; set; }

    /// <summary>The partition count in effect.</summary>
    public int PartitionCount => Partitions > 0 ? Partitions : Math.Max(Default, Map.Count == 0 ? 0 : Map.Values.Max()) + 1;

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate(string ruleName) => OptionsProblems.ThrowFirst(Problems(ruleName));

    /// <summary>What is wrong with the values, each naming the rule and the value; empty when they are valid.</summary>
    internal IEnumerable<string> Problems(string ruleName)
    {
        if (Key != "database" && !(Key.StartsWith("params.", StringComparison.Ordinal) && Key.Length > "params.".Length))
        {
            yield return $"rule '{ruleName}': partition.key must be 'database' or a path into params such as 'params.cluster', got '{Key}'";
        }
        var count = PartitionCount;
        if (Default < 0 || Default >= count)
        {
            yield return $"rule '{ruleName}': partition.default {Default} is outside the {count} partitions";
        }
        foreach (var (value, partition) in Map)
        {
            if (partition < 0 || partition >= count)
            {
                yield return $"rule '{ruleName}': partition.map['{value}'] = {partition} is outside the {count} partitions";
            }
        }
    }
}
