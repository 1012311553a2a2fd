using System.Globalization;
using System.Text.Json;
using Courier.Canaries;

namespace Courier.Server.Types;

/// <summary>
/// <see cref="ITypeViews"/> over the running dispatcher: counts from <see cref="Dispatcher.GetStats"/>, the rule it
/// resolved (<see cref="Dispatcher.RuleOf"/>), lag per type (<see cref="TypeLag"/>, shared and at most 1 s old),
/// <see cref="Dispatcher.OldestPendingAge"/>, pause and breaker state, the runner pool's canary, and rate and success
/// ratio from <see cref="TypeHistory"/>.
/// </summary>
internal sealed class TypeViews(Dispatcher dispatcher, TypeLag lag, TypeHistory history) : ITypeViews
{
    public async Task<IReadOnlyList<TypeView>> ListAsync(CancellationToken cancellationToken = default)
    {
        var stats = dispatcher.GetStats();
        var lags = await lag.ReadAsync(cancellationToken);
        var oldest = dispatcher.OldestPendingAge();
        var canaries = dispatcher.GetCanaries();
        return [.. stats.OrderBy(s => s.Type, StringComparer.Ordinal).Select(s => View(s, lags, oldest, canaries))];
    }

    public async Task<TypeView?> GetAsync(string type, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(type);
        var stats = dispatcher.GetStats().FirstOrDefault(s => s.Type == type);
        return stats is null ? null : View(stats, await lag.ReadAsync(cancellationToken), dispatcher.OldestPendingAge(), dispatcher.GetCanaries());
    }

    /// <summary>The samples of <paramref name="type"/> (all types added up when null); empty series for a type never sampled.</summary>
    public TypeHistoryView History(string? type) => history.View(type) ?? new TypeHistoryView
    {
        Type = type,
        IntervalSeconds = history.Interval.TotalSeconds,
        Times = [],
        Throughput = [],
        Failures = [],
        Lag = [],
    };

    private TypeView View(JobTypeStats stats, IReadOnlyDictionary<string, long> lags, IReadOnlyDictionary<string, TimeSpan> oldest,
        IReadOnlyList<CanaryStatus> canaries)
    {
        var rule = dispatcher.RuleOf(stats.Type);
        var (rate, ratio) = history.Recent(stats.Type);
        var canary = rule?.Runner is { } pool ? canaries.FirstOrDefault(c => c.Pool == pool) : null;
        return new TypeView
        {
            Type = stats.Type,
            Executor = stats.Executor,
            Rule = rule is null ? new TypeRuleView() : Rule(rule),
            Counts = TypeCounts.From(stats),
            RatePerSecond = rate,
            SuccessRatio = ratio,
            Lag = lags.GetValueOrDefault(stats.Type),
            OldestPendingSeconds = oldest.TryGetValue(stats.Type, out var age) ? age.TotalSeconds : null,
            State = State(stats),
            PausedReason = stats.PauseReason,
            PausedSince = stats.PausedSince,
            Canary = canary is null ? null : new TypeCanaryView(canary.Pool, canary.Release,
                JsonNamingPolicy.SnakeCaseLower.ConvertName(canary.State.ToString()), canary.Weight, Verdict(canary.Verdict)),
        };
    }

    /// <summary><c>paused</c> while an operator's pause is in force (the breaker's closing does not end it), else the breaker's state.</summary>
    internal static string State(JobTypeStats stats) =>
        stats.PausedByOperator ? "paused"
        : stats.BreakerState == "open" ? "breaker_open"
        : stats.BreakerState == "half_open" ? "breaker_half_open"
        : "running";

    private static string Verdict(CanaryVerdict verdict) =>
        verdict.Failing ? "failing" : verdict.Conclusive ? "passing" : "inconclusive";

    private static TypeRuleView Rule(JobRule rule) => new()
    {
        Concurrency = rule.Concurrency,
        TimeoutSeconds = rule.Timeout.TotalSeconds,
        RetryLimit = rule.Retry.Limit,
        Runner = rule.Runner,
        Breaker = rule.Breaker.Enabled,
        Dedupe = rule.Dedupe.Enabled ? Span(rule.Dedupe.Window) : "off",
        RateLimitPerSecond = rule.RateLimit?.PerSecond,
        Ignore = [.. rule.Ignore.Select(c => c.ToWireName())],
    };

    /// <summary>A window as the configuration writes it: <c>1d</c>, <c>6h</c>, <c>30m</c>, <c>45s</c>.</summary>
    private static string Span(TimeSpan span) =>
        span.Ticks % TimeSpan.TicksPerDay == 0 ? $"{span.TotalDays.ToString(CultureInfo.InvariantCulture)}d"
        : span.Ticks % TimeSpan.TicksPerHour == 0 ? $"{span.TotalHours.ToString(CultureInfo.InvariantCulture)}h"
        : span.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{span.TotalMinutes.ToString(CultureInfo.InvariantCulture)}m"
        : $"{span.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
}
