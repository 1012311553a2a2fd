using Courier.Dispatching.History;
using Courier.Server.Alerting;
using Courier.Server.Check;
using Xunit;

namespace Courier.Server.Tests.Check;

/// <summary>The deploy gate's judgement on hand-built histories, alerts and type stats.</summary>
public sealed class CheckJudgeTests
{
    private static readonly DateTimeOffset Since = new(2026, 12, 5, 4, 0, 0, TimeSpan.Zero);

    private static readonly CheckWindow Window = new() { Since = Since, Until = Since.AddMinutes(15), BaselineSince = Since.AddMinutes(-15) };

    private static OutcomeTally Tally(long attempts, long failures, string type = "refresh", string release = "v1", long decode = 0,
        long probesFailed = 0, long probesSucceeded = 0, params ErrorCount[] errors) =>
        new()
        {
            Type = type, Release = release, Attempts = attempts, Failures = failures, DecodeFailures = decode,
            ProbesFailed = probesFailed, ProbesSucceeded = probesSucceeded, TopErrors = errors,
        };

    private static JobTypeStats Stats(string type, string? pausedFor = null) =>
        new() { Type = type, Paused = pausedFor is not null, PauseReason = pausedFor, PausedSince = pausedFor is null ? null : Since };

    private static Alert PageAlert(string name, string? jobType = null, AlertState state = AlertState.Firing, bool silenced = false)
    {
        var labels = new Dictionary<string, string> { ["alertname"] = name, ["severity"] = "page" };
        if (jobType is not null)
        {
            labels["job_type"] = jobType;
        }
        return new Alert { Name = name, State = state, Labels = labels, Summary = name + " summary", Since = Since, Silenced = silenced };
    }

    private static CheckReport Judge(IReadOnlyList<OutcomeTally> window, IReadOnlyList<OutcomeTally> baseline,
        IEnumerable<Alert>? alerts = null, IEnumerable<JobTypeStats>? stats = null) =>
        CheckJudge.Judge(Window, window, baseline, alerts ?? [], stats ?? [Stats("refresh"), Stats("thumbs")]);

    [Fact]
    public void Judge_Passes_WhenTheWindowFailsNoMoreThanTheFloor()
    {
        var report = Judge([Tally(100, 5)], [Tally(100, 0)]);

        Assert.Equal(CheckVerdicts.Pass, report.Verdict);
        Assert.Empty(report.Reasons);
        var type = Assert.Single(report.Types);
        Assert.Equal((CheckVerdicts.Pass, 100L, 5L, 0.05), (type.Verdict, type.Window.Attempts, type.Window.Failures, type.Window.FailureRatio));
    }

    [Fact]
    public void Judge_Fails_WhenTheWindowRatioIsAboveTheFloorAndTwiceTheBaseline_WithItsTopErrors()
    {
        var report = Judge([Tally(50, 40, release: "v2", errors: [new ErrorCount("boom", 30), new ErrorCount("bang", 10)]), Tally(50, 2)],
            [Tally(100, 2)]);

        Assert.Equal(CheckVerdicts.Fail, report.Verdict);
        var type = Assert.Single(report.Types);
        Assert.Equal((CheckVerdicts.Fail, 100L, 42L), (type.Verdict, type.Window.Attempts, type.Window.Failures));
        Assert.StartsWith("refresh: failure ratio 42.0% (42 of 100) is above 5.0%", Assert.Single(report.Reasons), StringComparison.Ordinal);
        Assert.Equal([new ErrorCount("boom", 30), new ErrorCount("bang", 10)], type.Window.TopErrors);
        Assert.Equal(OutcomeTally.AllReleases, type.Window.Release);
        Assert.Equal(["v2", "v1"], type.Releases.Select(r => r.Release));
        Assert.Equal(0.8, type.Releases[0].FailureRatio);
    }

    [Fact]
    public void Judge_Passes_WhenTheRatioIsHighButNotTwiceTheBaseline()
    {
        var report = Judge([Tally(100, 30)], [Tally(100, 20)]);

        Assert.Equal(CheckVerdicts.Pass, report.Verdict);
        Assert.Equal(0.2, Assert.Single(report.Types).Baseline.FailureRatio);
    }

    [Fact]
    public void Judge_DoesNotJudgeTheRatio_BelowTheMinimumAttempts_AndWithoutOtherDataHasNone()
    {
        var report = Judge([Tally(9, 9)], []);

        Assert.Equal(CheckVerdicts.NoData, report.Verdict);
        Assert.Equal(CheckVerdicts.NoData, Assert.Single(report.Types).Verdict);
        Assert.Equal(["no job type had 10 attempts or a probe in the window"], report.Reasons);
        Assert.Equal(CheckVerdicts.NoData, Judge([], []).Verdict);
    }

    [Fact]
    public void Judge_Fails_OnDecodeFailuresNewInTheWindow_NotOnOnesTheBaselineHadToo()
    {
        var fresh = Judge([Tally(100, 1, decode: 1)], [Tally(100, 0)]);
        var old = Judge([Tally(100, 1, decode: 1)], [Tally(100, 1, decode: 1)]);

        Assert.Equal(CheckVerdicts.Fail, fresh.Verdict);
        Assert.Equal("refresh: 1 decode failure(s) in the window, none in the baseline", Assert.Single(fresh.Reasons));
        Assert.Equal(CheckVerdicts.Pass, old.Verdict);
    }

    [Fact]
    public void Judge_Fails_OnAFailedProbe_AndASucceededProbeIsEnoughData()
    {
        var failed = Judge([Tally(0, 0, probesFailed: 1, probesSucceeded: 3)], []);
        var succeeded = Judge([Tally(0, 0, probesSucceeded: 1)], []);

        Assert.Equal(CheckVerdicts.Fail, failed.Verdict);
        Assert.Equal("refresh: 1 probe(s) failed", Assert.Single(failed.Reasons));
        Assert.Equal(CheckVerdicts.Pass, succeeded.Verdict);
    }

    [Fact]
    public void Judge_Fails_OnAFiringUnsilencedPageAlertOfAKnownTypeOrOfNone()
    {
        var healthy = new[] { Tally(100, 0) };
        var rolledBack = Judge(healthy, healthy, [PageAlert("CourierCanaryRolledBack", "refresh")]);
        var global = Judge(healthy, healthy, [PageAlert("CourierRunnerServerErrors")]);
        var ignored = Judge(healthy, healthy,
        [
            PageAlert("CourierJobTypeFailing", "refresh", state: AlertState.Resolved),
            PageAlert("CourierJobTypeFailing", "refresh", silenced: true),
            PageAlert("CourierJobTypeFailing", "another-dispatchers-type"),
            new Alert { Name = "CourierJobTypePaused", State = AlertState.Firing, Since = Since, Summary = "ticket",
                Labels = new Dictionary<string, string> { ["severity"] = "ticket" } },
        ]);

        Assert.Equal(CheckVerdicts.Fail, rolledBack.Verdict);
        Assert.Equal("alert CourierCanaryRolledBack is firing for refresh: CourierCanaryRolledBack summary", Assert.Single(rolledBack.Reasons));
        Assert.Equal("CourierCanaryRolledBack", Assert.Single(rolledBack.Alerts).Name);
        Assert.Equal(CheckVerdicts.Fail, global.Verdict);
        Assert.Equal(CheckVerdicts.Pass, ignored.Verdict);
        Assert.Empty(ignored.Alerts);
    }

    [Fact]
    public void Judge_Fails_OnAPausedType_NamingWhy()
    {
        var healthy = new[] { Tally(100, 0) };

        var report = Judge(healthy, healthy, stats: [Stats("refresh"), Stats("thumbs", pausedFor: "breaker: 80% failing")]);

        Assert.Equal(CheckVerdicts.Fail, report.Verdict);
        Assert.Equal("thumbs is paused: breaker: 80% failing", Assert.Single(report.Reasons));
        Assert.Equal(new PausedTypeCheck("thumbs", "breaker: 80% failing", Since), Assert.Single(report.Paused));
    }

    [Fact]
    public void Judge_ListsFailingTypesFirst()
    {
        var report = Judge([Tally(100, 0, type: "a"), Tally(100, 100, type: "b"), Tally(1, 0, type: "c")], []);

        Assert.Equal(["b", "a", "c"], report.Types.Select(t => t.Type));
        Assert.Equal([CheckVerdicts.Fail, CheckVerdicts.Pass, CheckVerdicts.NoData], report.Types.Select(t => t.Verdict));
    }
}
