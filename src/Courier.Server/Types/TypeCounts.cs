using System.Text.Json.Serialization;

namespace Courier.Server.Types;

/// <summary>
/// A type's counts since the dispatcher started (from <see cref="JobTypeStats"/>), with dead letters by failure class
/// under their wire names: <c>started = succeeded + dead_lettered + ignored + deduplicated + superseded + abandoned +
/// cancelled + pending</c>.
/// </summary>
internal sealed record TypeCounts
{
    /// <summary>First executions read from the job topic.</summary>
    [JsonPropertyName("started")] public long Started { get; init; }
    /// <summary>Ended in success.</summary>
    [JsonPropertyName("succeeded")] public long Succeeded { get; init; }
    /// <summary>Ended in the error topic.</summary>
    [JsonPropertyName("dead_lettered")] public long DeadLettered { get; init; }
    /// <summary>Dead letters by failure class (<c>transient</c>, <c>permanent</c>, <c>timeout</c>, <c>decode</c>, …).</summary>
    [JsonPropertyName("dead_lettered_by_class")] public IReadOnlyDictionary<string, long> DeadLetteredByClass { get; init; } = new Dictionary<string, long>();
    /// <summary>Failures the rule ignores.</summary>
    [JsonPropertyName("ignored")] public long Ignored { get; init; }
    /// <summary>Not run: a duplicate.</summary>
    [JsonPropertyName("deduplicated")] public long Deduplicated { get; init; }
    /// <summary>Not run: a newer root job.</summary>
    [JsonPropertyName("superseded")] public long Superseded { get; init; }
    /// <summary>Not run: older than its claim TTL.</summary>
    [JsonPropertyName("abandoned")] public long Abandoned { get; init; }
    /// <summary>Cancelled by an operator.</summary>
    [JsonPropertyName("cancelled")] public long Cancelled { get; init; }
    /// <summary>Started and not yet ended (in flight or in a retry tier).</summary>
    [JsonPropertyName("pending")] public long Pending { get; init; }
    /// <summary>Running now.</summary>
    [JsonPropertyName("in_flight")] public long InFlight { get; init; }
    /// <summary>Retries scheduled.</summary>
    [JsonPropertyName("retried")] public long Retried { get; init; }
    /// <summary>Of started, replayed dead letters.</summary>
    [JsonPropertyName("replayed")] public long Replayed { get; init; }
    /// <summary>Executions (first attempts and retries).</summary>
    [JsonPropertyName("executions")] public long Executions { get; init; }

    /// <summary>The counts of one type's stats.</summary>
    public static TypeCounts From(JobTypeStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new TypeCounts
        {
            Started = stats.Started,
            Succeeded = stats.Succeeded,
            DeadLettered = stats.DeadLettered,
            DeadLetteredByClass = stats.DeadLetteredByClass.ToDictionary(kv => kv.Key.ToWireName(), kv => kv.Value, StringComparer.Ordinal),
            Ignored = stats.Ignored,
            Deduplicated = stats.Deduplicated,
            Superseded = stats.Superseded,
            Abandoned = stats.Abandoned,
            Cancelled = stats.Cancelled,
            Pending = stats.Pending,
            InFlight = stats.InFlight,
            Retried = stats.Retried,
            Replayed = stats.Replayed,
            Executions = stats.Executions,
        };
    }
}
