using Xunit;

namespace Courier.Tests.Dispatching;

public sealed class JobTypeStatsTests
{
    [Fact]
    public void Total_AddsEveryCount_AndTheDeadLettersClassByClass()
    {
        var a = new JobTypeStats
        {
            Type = "a", Started = 10, Replayed = 1, Succeeded = 6, DeadLettered = 3, Ignored = 1, Retried = 4, Backpressured = 2,
            Partitioned = 5, InFlight = 0, Executions = 14,
            DeadLetteredByClass = new Dictionary<FailureClass, long> { [FailureClass.Decode] = 2, [FailureClass.Permanent] = 1 },
        };
        var b = new JobTypeStats
        {
            Type = "b", Started = 7, Succeeded = 5, DeadLettered = 1, Retried = 1, InFlight = 1, Executions = 8,
            DeadLetteredByClass = new Dictionary<FailureClass, long> { [FailureClass.Decode] = 1 },
        };

        var total = JobTypeStats.Total("total", [a, b]);

        Assert.Equal("total", total.Type);
        Assert.Equal((17L, 1L, 11L, 4L, 1L, 5L, 2L, 5L, 1L, 22L),
            (total.Started, total.Replayed, total.Succeeded, total.DeadLettered, total.Ignored, total.Retried, total.Backpressured,
                total.Partitioned, total.InFlight, total.Executions));
        Assert.Equal(3, total.DeadLetteredByClass[FailureClass.Decode]);
        Assert.Equal(1, total.DeadLetteredByClass[FailureClass.Permanent]);
        Assert.Equal(a.Pending + b.Pending, total.Pending);
    }
}
