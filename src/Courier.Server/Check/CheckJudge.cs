using System.Globalization;
using Courier.Dispatching.History;
using Courier.Server.Alerting;

namespace Courier.Server.Check;

/// <summary>
/// Judges a deploy: per job type, the window's outcomes against the baseline's; then the dispatcher's firing page
/// alerts and paused types. Any reason fails the check; without one, it passes when some type had enough outcomes
/// to judge, else there is no data.
/// </summary>
/// <remarks>An alert naming a job type counts only when that type is one of <c>stats</c>' (one the dispatcher runs).</remarks>
internal static class CheckJudge
{
    /// <summary>How many failure messages a type shows.</summary>
    public const int TopErrors = 5;

    /// <summary>The verdict on <paramref name="window"/>'s tallies against <paramref name="baseline"/>'s.</summary>
    public static CheckReport Judge(CheckWindow window, IReadOnlyList<OutcomeTally> current, IReadOnlyList<OutcomeTally> baseline,
        IEnumerable<Alert> alerts, IEnumerable<JobTypeStats> stats, CheckThresholds? thresholds = null)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(stats);
        thresholds ??= CheckThresholds.Default;
        var types = current.Select(t => t.Type).Concat(baseline.Select(t => t.Type)).Distinct(StringComparer.Ordinal)
            .Select(type => JudgeType(type, [.. current.Where(t => t.Type == type)], [.. baseline.Where(t => t.Type == type)], thresholds))
            .OrderBy(t => t.Verdict switch { CheckVerdicts.Fail => 0, CheckVerdicts.Pass => 1, _ => 2 })
            .ThenBy(t => t.Type, StringComparer.Ordinal)
            .ToList();
        var typeStats = stats.ToList();
        var known = typeStats.Select(s => s.Type).ToHashSet(StringComparer.Ordinal);
        // A job type's alert counts when the dispatcher runs that type (its watcher reads every meter named Courier in the process).
        var paging = alerts.Where(a => a.State == AlertState.Firing && !a.Silenced
            && a.Labels.TryGetValue("severity", out var severity) && severity == "page"
            && (!a.Labels.TryGetValue("job_type", out var alertType) || known.Contains(alertType))).ToList();
        var paused = typeStats.Where(s => s.Paused).Select(s => new PausedTypeCheck(s.Type, s.PauseReason, s.PausedSince)).ToList();

        var reasons = types.Where(t => t.Verdict == CheckVerdicts.Fail).SelectMany(t => t.Reasons.Select(r => $"{t.Type}: {r}"))
            .Concat(paging.Select(a => $"alert {a.Name} is firing" + (a.Labels.TryGetValue("job_type", out var type) ? $" for {type}" : "") + $": {a.Summary}"))
            .Concat(paused.Select(p => $"{p.Type} is paused" + (p.Reason is null ? "" : $": {p.Reason}")))
            .ToList();
        var verdict = reasons.Count > 0 ? CheckVerdicts.Fail
            : types.Any(t => t.Verdict == CheckVerdicts.Pass) ? CheckVerdicts.Pass
            : CheckVerdicts.NoData;
        if (verdict == CheckVerdicts.NoData)
        {
            reasons.Add(types.Count == 0
                ? "no job ran in the window or the baseline"
                : $"no job type had {thresholds.MinAttempts} attempts or a probe in the window");
        }
        return new CheckReport
        {
            Verdict = verdict,
            Reasons = reasons,
            Window = window,
            Thresholds = thresholds,
            Types = types,
            Alerts = paging,
            Paused = paused,
        };
    }

    private static TypeCheck JudgeType(string type, List<OutcomeTally> current, List<OutcomeTally> baseline, CheckThresholds thresholds)
    {
        var window = OutcomeTally.Sum(type, current, TopErrors);
        var before = OutcomeTally.Sum(type, baseline, TopErrors);
        var reasons = new List<string>();
        var limit = Math.Max(thresholds.FailureRatioFloor, thresholds.BaselineFactor * before.FailureRatio);
        if (window.Attempts >= thresholds.MinAttempts && window.FailureRatio > limit)
        {
            reasons.Add($"failure ratio {Percent(window.FailureRatio)} ({window.Failures} of {window.Attempts}) is above {Percent(limit)} "
                + $"(baseline {Percent(before.FailureRatio)} of {before.Attempts})");
        }
        if (window.DecodeFailures > 0 && before.DecodeFailures == 0)
        {
            reasons.Add($"{window.DecodeFailures} decode failure(s) in the window, none in the baseline");
        }
        if (window.ProbesFailed > 0)
        {
            reasons.Add($"{window.ProbesFailed} probe(s) failed");
        }
        string verdict;
        if (reasons.Count > 0)
        {
            verdict = CheckVerdicts.Fail;
        }
        else if (window.Attempts >= thresholds.MinAttempts || window.ProbesSucceeded > 0)
        {
            verdict = CheckVerdicts.Pass;
        }
        else
        {
            verdict = CheckVerdicts.NoData;
            reasons.Add($"{window.Attempts} attempt(s) in the window, fewer than {thresholds.MinAttempts}");
        }
        return new TypeCheck
        {
            Type = type,
            Verdict = verdict,
            Reasons = reasons,
            Window = window,
            Baseline = before,
            Releases = current.OrderByDescending(r => r.Failures + r.ProbesFailed).ThenByDescending(r => r.Attempts + r.ProbesSucceeded)
                .ThenBy(r => r.Release, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>A ratio as a percentage with one decimal: <c>42.0%</c>.</summary>
    public static string Percent(double ratio) => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
