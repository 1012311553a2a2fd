namespace Courier;

/// <summary>
/// A job type's deduplication (rule key <c>dedupe</c>): with a state store, a job is not run again when the same
/// event was already handled (by event id), when a run of the same work (same <c>sha1</c>) started after it was
/// created, or when a newer root job of its tree was seen (supersession). On by default with a window of one day, the
/// original's <c>window</c> of 86400 s; see docs/operations.md, "Deduplication, supersession and claim TTLs".
/// </summary>
public sealed class DedupePolicy
{
    /// <summary>Deduplication turned off (<c>dedupe: off</c>): every job runs.</summary>
    public static DedupePolicy Off => new() { Enabled = false };

    /// <summary>False runs every job, duplicates included.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a handled event id and the last run of a <c>sha1</c> are remembered.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long the newest root job of a signature is remembered: 28 days, the original's <c>ROOTJOB_TTL</c> (its
    /// change-propagation side kept it only 86400 s, so an old root job arriving a day later ran again).
    /// </summary>
    public TimeSpan RootWindow { get; set; } = TimeSpan.FromDays(28);

    /// <summary>What is wrong with the values, each naming the rule and the key; empty when they are valid or off.</summary>
    internal IEnumerable<string> Problems(string ruleName)
    {
        if (!Enabled)
        {
            yield break;
        }
        if (Window < TimeSpan.FromSeconds(1))
        {
            yield return $"rule '{ruleName}': dedupe.window must be at least 1s, got {Window}";
        }
        if (RootWindow < TimeSpan.FromSeconds(1))
        {
            yield return $"rule '{ruleName}': dedupe root window must be at least 1s, got {RootWindow}";
        }
    }
}
