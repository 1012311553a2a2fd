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
public static class CheckJudge
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
        var attempts = current.Sum(t => t.Attempts);
        var failures = current.Sum(t => t.Failures);
        var ratio = Ratio(failures, attempts);
        var baselineAttempts = baseline.Sum(t => t.Attempts);
        var baselineRatio = Ratio(baseline.Sum(t => t.Failures), baselineAttempts);
        var decode = current.Sum(t => t.DecodeFailures);
        var baselineDecode = baseline.Sum(t => t.DecodeFailures);
        var probesSucceeded = current.Sum(t => t.ProbesSucceeded);
        var probesFailed = current.Sum(t => t.ProbesFailed);

        var reasons = new List<string>();
        var limit = Math.Max(thresholds.FailureRatioFloor, thresholds.BaselineFactor * baselineRatio);
        if (attempts >= thresholds.MinAttempts && ratio > limit)
        {
            reasons.Add($"failure ratio {Percent(ratio)} ({failures} of {attempts}) is above {Percent(limit)} "
                + $"(baseline {Percent(baselineRatio)} of {baselineAttempts})");
        }
        if (decode > 0 && baselineDecode == 0)
        {
            reasons.Add($"{decode} decode failure(s) in the window, none in the baseline");
        }
        if (probesFailed > 0)
        {
            reasons.Add($"{probesFailed} probe(s) failed");
        }
        string verdict;
        if (reasons.Count > 0)
        {
            verdict = CheckVerdicts.Fail;
        }
        else if (attempts >= thresholds.MinAttempts || probesSucceeded > 0)
        {
            verdict = CheckVerdicts.Pass;
        }
        else
        {
            verdict = CheckVerdicts.NoData;
            reasons.Add($"{attempts} attempt(s) in the window, fewer than {thresholds.MinAttempts}");
        }
        return new TypeCheck
        {
            Type = type,
            Verdict = verdict,
            Reasons = reasons,
            Attempts = attempts,
            Failures = failures,
            FailureRatio = ratio,
            BaselineAttempts = baselineAttempts,
            BaselineFailureRatio = baselineRatio,
            DecodeFailures = decode,
            BaselineDecodeFailures = baselineDecode,
            ProbesSucceeded = probesSucceeded,
            ProbesFailed = probesFailed,
            TopErrors = current.SelectMany(t => t.TopErrors).GroupBy(e => e.Message, StringComparer.Ordinal)
                .Select(g => new ErrorCount(g.Key, g.Sum(e => e.Count)))
                .OrderByDescending(e => e.Count).ThenBy(e => e.Message, StringComparer.Ordinal).Take(TopErrors).ToList(),
            Releases = current.Select(ReleaseCheck.From).OrderByDescending(r => r.Attempts + r.ProbesFailed + r.ProbesSucceeded).ToList(),
        };
    }

    /// <summary>A ratio as a percentage with one decimal: <c>42.0%</c>.</summary>
    public static string Percent(double ratio) => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static double Ratio(long failures, long attempts) => attempts == 0 ? 0 : (double)failures / attempts;
}
