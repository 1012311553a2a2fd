using Courier.Cli.Rendering;
using Xunit;

namespace Courier.Server.Tests.Cli;

public sealed class TypeSummaryTests
{
    private static TypeSummary Summary(long accepted, long started, long succeeded, long dead, long ignored = 0, long carried = 0) => new()
    {
        Outcomes = new JobTypeStats { Type = "massMessage", Started = started, Succeeded = succeeded, DeadLettered = dead, Ignored = ignored },
        Accepted = accepted,
        CarriedOver = carried,
    };

    [Fact]
    public void Reconciled_WhenIdleAndEveryAcceptedJobEnded()
    {
        var summary = Summary(accepted: 100, started: 100, succeeded: 90, dead: 8, ignored: 2);

        Assert.Equal(0, summary.Pending);
        Assert.True(summary.Reconciled(idle: true));
    }

    [Fact]
    public void NotReconciled_WhenIdleButAJobWasNeverAccountedFor()
    {
        // Committed past a record without counting it: the log says done, the counters say otherwise.
        var summary = Summary(accepted: 100, started: 99, succeeded: 91, dead: 8);

        Assert.Equal(1, summary.Pending);
        Assert.False(summary.Reconciled(idle: true));
    }

    [Fact]
    public void Reconciled_WithPendingJobs_WhenInterrupted()
    {
        var summary = Summary(accepted: 100, started: 60, succeeded: 50, dead: 5);

        Assert.Equal(45, summary.Pending);
        Assert.True(summary.Reconciled(idle: false));
        Assert.False(summary.Reconciled(idle: true));
    }

    [Fact]
    public void NotReconciled_WhenMoreJobsEndedThanWereAccepted()
    {
        var summary = Summary(accepted: 10, started: 10, succeeded: 11, dead: 0);

        Assert.False(summary.Reconciled(idle: false));
    }

    [Fact]
    public void Reconciled_CountsRetriesCarriedOverFromAnEarlierRun()
    {
        // Five jobs waited in a retry tier when the run started: they end in this run without being "started" here.
        var summary = Summary(accepted: 100, started: 100, succeeded: 100, dead: 5, carried: 5);

        Assert.Equal(0, summary.Pending);
        Assert.True(summary.Reconciled(idle: true));
    }
}
