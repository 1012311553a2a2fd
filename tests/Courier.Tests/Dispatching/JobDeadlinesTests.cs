using Courier.Dispatching.Execution;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Tests.Dispatching;

public sealed class JobDeadlinesTests
{
    private static readonly TimeSpan Sweep = TimeSpan.FromMilliseconds(50);
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void Start_CancelsTheToken_AtTheFirstSweepAfterTheTimeout()
    {
        using var deadlines = new JobDeadlines(_clock, Sweep);
        var deadline = deadlines.Start(TimeSpan.FromSeconds(1));

        _clock.Advance(TimeSpan.FromMilliseconds(950));
        Assert.False(deadline.Token.IsCancellationRequested);

        _clock.Advance(Sweep);
        Assert.True(deadline.Token.IsCancellationRequested);
        Assert.True(deadline.TimedOut);
    }

    [Fact]
    public void Finish_BeforeTheTimeout_NeverCancelsTheJobThatReusesTheClock()
    {
        using var deadlines = new JobDeadlines(_clock, Sweep);
        var first = deadlines.Start(TimeSpan.FromMilliseconds(100));
        var firstToken = first.Token;
        deadlines.Finish(first);

        var second = deadlines.Start(TimeSpan.FromSeconds(10));
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Same(first, second); // pooled
        Assert.False(firstToken.IsCancellationRequested);
        Assert.False(second.Token.IsCancellationRequested);
    }

    [Fact]
    public void Finish_AfterATimeout_GivesTheNextJobAFreshToken()
    {
        using var deadlines = new JobDeadlines(_clock, Sweep);
        var first = deadlines.Start(TimeSpan.FromMilliseconds(100));
        _clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.True(first.Token.IsCancellationRequested);
        deadlines.Finish(first);

        var second = deadlines.Start(TimeSpan.FromSeconds(10));

        Assert.False(second.Token.IsCancellationRequested);
        Assert.False(second.TimedOut);
    }

    [Fact]
    public void Abort_CancelsRunningJobsAndJobsStartedAfterIt_WithoutCallingThemTimedOut()
    {
        using var deadlines = new JobDeadlines(_clock, Sweep);
        var running = deadlines.Start(TimeSpan.FromMinutes(5));
        var finished = deadlines.Start(TimeSpan.FromMinutes(5));
        deadlines.Finish(finished);

        deadlines.Abort();
        var later = deadlines.Start(TimeSpan.FromMinutes(5));

        Assert.True(running.Token.IsCancellationRequested);
        Assert.False(running.TimedOut);
        Assert.True(later.Token.IsCancellationRequested);
        Assert.True(deadlines.AbortToken.IsCancellationRequested);
    }

    [Fact]
    public void Sweep_LeavesJobsWithTimeToGoAlone_WhileCancellingOverdueOnes()
    {
        using var deadlines = new JobDeadlines(_clock, Sweep);
        var shortJob = deadlines.Start(TimeSpan.FromMilliseconds(100));
        var longJob = deadlines.Start(TimeSpan.FromSeconds(30));

        _clock.Advance(TimeSpan.FromMilliseconds(200));

        Assert.True(shortJob.Token.IsCancellationRequested);
        Assert.False(longJob.Token.IsCancellationRequested);
    }
}
