namespace Courier.Server.Alerting;

/// <summary>The shipped rules' alert on the state store: its operations failing (the dispatcher fails open meanwhile).</summary>
internal static class StateRules
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    /// <summary>The one alert.</summary>
    public static IEnumerable<WatcherRule> Create()
    {
        // rate(...[5m]) > 0 as the rule has it: the increase over 5 minutes, per second.
        yield return new WatcherRule("CourierStateStoreErrors", "ticket", FiveMinutes,
            h => h.Increase("courier.state.errors", FiveMinutes, ["store"]).Values
                .Where(s => s.Value > 0).Select(s => s with { Value = s.Value / FiveMinutes.TotalSeconds }),
            r => $"The {r.Label("store")} state store is failing",
            r => $"The dispatcher's {r.Label("store")} state store has failed operations for 5 minutes "
                + $"({AlertText.Number(r.Value)} a second). Jobs keep running (the dispatcher fails open), but deduplication, "
                + "supersession, claims, recurring jobs, cancellations and rate limits are not enforced: duplicates may run. "
                + "The dispatcher's warnings name the operation and the error; check that the store is reachable "
                + "(state.redis.configuration) or the embedded store's disk.");
    }
}
