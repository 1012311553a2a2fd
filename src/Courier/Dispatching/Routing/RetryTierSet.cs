namespace Courier.Dispatching.Routing;

/// <summary>
/// The delay tiers in use: the configured ones plus every delay the rules' retry schedules produce, so an ordinary
/// retry lands in a tier of exactly its delay and its partition stays in due order.
/// </summary>
internal sealed class RetryTierSet
{
    public RetryTierSet(DispatcherOptions options, IEnumerable<JobRule> rules)
    {
        var delays = new SortedSet<TimeSpan>(options.RetryTiers);
        foreach (var rule in rules)
        {
            for (var retry = 1; retry <= rule.Retry.Limit; retry++)
            {
                var delay = rule.Retry.DelayFor(retry);
                if (delay > TimeSpan.Zero && delay < TimeSpan.FromDays(365))
                {
                    delays.Add(delay);
                }
            }
        }
        if (delays.Count == 0)
        {
            delays.Add(TimeSpan.FromSeconds(1));
        }
        Tiers = delays.Select(d => new RetryTier(d)).ToArray();
    }

    public IReadOnlyList<RetryTier> Tiers { get; }

    /// <summary>
    /// The largest tier not longer than <paramref name="delay"/> (the smallest tier for shorter delays). A record
    /// waits for its own due time, so it never runs early; behind a longer-delayed head it may run late by at most
    /// the gap to the next tier.
    /// </summary>
    public RetryTier For(TimeSpan delay)
    {
        var chosen = Tiers[0];
        foreach (var tier in Tiers)
        {
            if (tier.Delay <= delay)
            {
                chosen = tier;
            }
            else
            {
                break;
            }
        }
        return chosen;
    }
}
