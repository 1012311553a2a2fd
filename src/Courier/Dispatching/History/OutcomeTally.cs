using System.Text.Json.Serialization;

namespace Courier.Dispatching.History;

/// <summary>The outcomes of one job type run by one release over a span of time (<see cref="OutcomeHistory.Tally"/>).</summary>
public sealed record OutcomeTally
{
    /// <summary>The <see cref="Release"/> of a sum over several releases (<see cref="Sum"/>).</summary>
    public const string AllReleases = "*";

    /// <summary>The job type.</summary>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>The release that ran the attempts; <see cref="AllReleases"/> for a sum.</summary>
    [JsonPropertyName("release")]
    public required string Release { get; init; }

    /// <summary>Attempts of real jobs that ended (any outcome but backpressure; probes are counted apart).</summary>
    [JsonPropertyName("attempts")]
    public long Attempts { get; init; }

    /// <summary>Of <see cref="Attempts"/>, those that failed against the type: retried, held or dead-lettered (not ignored).</summary>
    [JsonPropertyName("failures")]
    public long Failures { get; init; }

    /// <summary>Failures over attempts; 0 without attempts.</summary>
    [JsonPropertyName("failure_ratio")]
    public double FailureRatio => Attempts == 0 ? 0 : (double)Failures / Attempts;

    /// <summary>Of <see cref="Failures"/>, records the executor could not decode.</summary>
    [JsonPropertyName("decode_failures")]
    public long DecodeFailures { get; init; }

    /// <summary>Probe jobs that succeeded.</summary>
    [JsonPropertyName("probes_succeeded")]
    public long ProbesSucceeded { get; init; }

    /// <summary>Probe jobs that failed.</summary>
    [JsonPropertyName("probes_failed")]
    public long ProbesFailed { get; init; }

    /// <summary>Attempts by outcome name (<c>succeeded</c>, <c>retried</c>, <c>dead_lettered</c>, …), probes included.</summary>
    [JsonPropertyName("outcomes")]
    public IReadOnlyDictionary<string, long> Outcomes { get; init; } = new Dictionary<string, long>();

    /// <summary>The most frequent failure messages (probes' included), most frequent first.</summary>
    [JsonPropertyName("top_errors")]
    public IReadOnlyList<ErrorCount> TopErrors { get; init; } = [];

    /// <summary>
    /// Several tallies added up under <paramref name="type"/> and <see cref="AllReleases"/>, with the
    /// <paramref name="topErrors"/> most frequent of their messages.
    /// </summary>
    public static OutcomeTally Sum(string type, IEnumerable<OutcomeTally> tallies, int topErrors)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(tallies);
        var list = tallies.ToList();
        var outcomes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (outcome, count) in list.SelectMany(t => t.Outcomes))
        {
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + count;
        }
        return new OutcomeTally
        {
            Type = type,
            Release = AllReleases,
            Attempts = list.Sum(t => t.Attempts),
            Failures = list.Sum(t => t.Failures),
            DecodeFailures = list.Sum(t => t.DecodeFailures),
            ProbesSucceeded = list.Sum(t => t.ProbesSucceeded),
            ProbesFailed = list.Sum(t => t.ProbesFailed),
            Outcomes = outcomes,
            TopErrors = Top(list.SelectMany(t => t.TopErrors).GroupBy(e => e.Message, StringComparer.Ordinal)
                .Select(g => new ErrorCount(g.Key, g.Sum(e => e.Count))), topErrors),
        };
    }

    /// <summary>The <paramref name="count"/> most frequent messages, most frequent first (ties by message).</summary>
    internal static IReadOnlyList<ErrorCount> Top(IEnumerable<ErrorCount> errors, int count) =>
        errors.OrderByDescending(e => e.Count).ThenBy(e => e.Message, StringComparer.Ordinal).Take(count).ToList();
}
