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
    public void TryCancel_FiresTheRunningJobNamedByItsId_AndNoOtherJob_NorTheJobThatReusesItsClock()
    {
        using var deadlines = new JobDeadlines(_clock, Sweep);
        var a = deadlines.Start(TimeSpan.FromMinutes(5), Job("job-a"));
        var b = deadlines.Start(TimeSpan.FromMinutes(5), Job("job-b"));
        var probe = deadlines.Start(TimeSpan.FromMinutes(5));

        Assert.True(deadlines.TryCancel("job-a", "operator", out var fired));
        Assert.True(fired);
        Assert.True(a.Token.IsCancellationRequested);
        Assert.Equal("operator", a.CancelReason);
        Assert.False(a.TimedOut);
        Assert.False(b.Token.IsCancellationRequested);
        Assert.False(probe.Token.IsCancellationRequested);

        // A second cancel of the same job finds it cancelled already: it runs here, but this call fired nothing.
        Assert.True(deadlines.TryCancel("job-a", "again", out fired));
        Assert.False(fired);
        Assert.Equal("operator", a.CancelReason);

        deadlines.Finish(b);
        var reused = deadlines.Start(TimeSpan.FromMinutes(5), Job("job-c"));
        Assert.Same(b, reused); // pooled: the clock job-b ran under now runs job-c
        Assert.False(deadlines.TryCancel("job-b", "too late", out fired));
        Assert.False(fired);
        Assert.False(reused.Token.IsCancellationRequested);
    }

    [Fact]
    public void TryCancel_FiresEveryExecutionOfTheJob_WhenADuplicateRunsBesideIt()
    {
        using var deadlines = new JobDeadlines(_clock, Sweep);
        var first = deadlines.Start(TimeSpan.FromMinutes(5), Job("job-a"));
        var duplicate = deadlines.Start(TimeSpan.FromMinutes(5), Job("job-a"));

        Assert.True(deadlines.TryCancel("job-a", "operator", out var fired));

        Assert.True(fired);
        Assert.True(first.Token.IsCancellationRequested);
        Assert.True(duplicate.Token.IsCancellationRequested);
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

    /// <summary>The metadata a clock is started with; the id is what a cancel names.</summary>
    private static JobMeta Job(string id) => new() { Id = id, Dt = DateTimeOffset.UnixEpoch };
}
