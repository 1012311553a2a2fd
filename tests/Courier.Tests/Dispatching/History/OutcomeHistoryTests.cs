using Courier.Dispatching.History;
using Courier.Dispatching.Outcomes;
using Xunit;

namespace Courier.Tests.Dispatching.History;

/// <summary>The outcome history: buckets, probes and decode failures apart, bounded messages and buckets, release first-seen times.</summary>
public sealed class OutcomeHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 4, 0, 0, TimeSpan.Zero);

    private static void Observe(OutcomeHistory history, string outcome, FailureClass? failure = null, string? message = null,
        string release = "v1", bool probe = false, double seconds = 0, string type = "refresh") =>
        ((IOutcomeListener)history).Observe(new OutcomeSample(type, outcome, failure, message, release, probe, T0.AddSeconds(seconds)));

    [Fact]
    public void Tally_CountsAttemptsFailuresDecodeAndProbesApart_PerTypeAndRelease()
    {
        var history = new OutcomeHistory();
        Observe(history, "succeeded");
        Observe(history, "succeeded");
        Observe(history, "retried", FailureClass.Retryable, "timeout");
        Observe(history, "dead_lettered", FailureClass.Decode, "bad json");
        Observe(history, "backpressure", FailureClass.Backpressure, "slow down");
        Observe(history, "ignored", FailureClass.Permanent, "gone");
        Observe(history, "succeeded", probe: true);
        Observe(history, "probe_failed", FailureClass.Permanent, "probe broke", probe: true);
        Observe(history, "dead_lettered", FailureClass.Permanent, "boom", release: "v2");

        var tallies = history.Tally(T0, T0);

        var v1 = Assert.Single(tallies, t => t.Release == "v1");
        Assert.Equal(("refresh", 5L, 2L, 1L, 1L, 1L), (v1.Type, v1.Attempts, v1.Failures, v1.DecodeFailures, v1.ProbesSucceeded, v1.ProbesFailed));
        Assert.Equal(["bad json", "probe broke", "timeout"], v1.TopErrors.Select(e => e.Message));
        Assert.Equal(3, v1.Outcomes["succeeded"]);
        var v2 = Assert.Single(tallies, t => t.Release == "v2");
        Assert.Equal((1L, 1L), (v2.Attempts, v2.Failures));
        Assert.Equal(new ErrorCount("boom", 1), Assert.Single(v2.TopErrors));
    }

    [Fact]
    public void Observe_CountsRepeatedKeysExactly_AcrossBuckets_HistoriesOnOneThread_AndEqualStringsNotTheSame()
    {
        var first = new OutcomeHistory(TimeSpan.FromSeconds(10));
        var second = new OutcomeHistory(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 3; i++)
        {
            Observe(first, "succeeded", seconds: 1);
            Observe(second, "succeeded", seconds: 1);
        }
        Observe(first, "succeeded", seconds: 2);
        Observe(first, "succeeded", seconds: 12); // the next bucket
        Observe(first, "succeeded", seconds: 13);
        // The same release and outcome as other string instances: counted under the same key.
        Observe(first, new string("succeeded".AsSpan()), release: new string("v1".AsSpan()), seconds: 14);
        Observe(first, "retried", FailureClass.Retryable, "timeout", seconds: 14);
        Observe(first, "succeeded", seconds: 14);

        var early = Assert.Single(first.Tally(T0, T0.AddSeconds(9)));
        var late = Assert.Single(first.Tally(T0.AddSeconds(10), T0.AddSeconds(19)));
        Assert.Equal(4, early.Outcomes["succeeded"]);
        Assert.Equal(4, late.Outcomes["succeeded"]);
        Assert.Equal((5L, 1L), (late.Attempts, late.Failures));
        Assert.Equal(3, Assert.Single(second.Tally(T0, T0.AddSeconds(9))).Outcomes["succeeded"]);
    }

    [Fact]
    public void Tally_TakesOnlyTheBucketsOfItsSpan()
    {
        var history = new OutcomeHistory(TimeSpan.FromSeconds(10));
        Observe(history, "succeeded", seconds: 5);
        Observe(history, "dead_lettered", FailureClass.Permanent, "boom", seconds: 15);
        Observe(history, "dead_lettered", FailureClass.Permanent, "boom", seconds: 25);

        var middle = Assert.Single(history.Tally(T0.AddSeconds(10), T0.AddSeconds(19)));
        var all = Assert.Single(history.Tally(T0, T0.AddSeconds(29)));

        Assert.Equal((1L, 1L), (middle.Attempts, middle.Failures));
        Assert.Equal(new ErrorCount("boom", 1), Assert.Single(middle.TopErrors));
        Assert.Equal((3L, 2L), (all.Attempts, all.Failures));
        Assert.Empty(history.Tally(T0.AddSeconds(30), T0.AddSeconds(100)));
    }

    [Fact]
    public void Observe_DropsBucketsPastTheRetention()
    {
        var history = new OutcomeHistory(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1));
        Observe(history, "dead_lettered", FailureClass.Permanent, "old");
        Observe(history, "succeeded", seconds: 30);
        Observe(history, "succeeded", seconds: 90);

        var tally = Assert.Single(history.Tally(T0, T0.AddSeconds(90)));

        Assert.Equal((2L, 0L), (tally.Attempts, tally.Failures));
        Assert.Empty(tally.TopErrors);
    }

    [Fact]
    public void Observe_KeepsBoundedCutMessages()
    {
        var history = new OutcomeHistory();
        for (var i = 0; i < OutcomeHistory.MaxMessagesPerRelease + 5; i++)
        {
            Observe(history, "dead_lettered", FailureClass.Permanent, $"error {i:D2} " + new string('x', 500));
        }

        var tally = Assert.Single(history.Tally(T0, T0, topErrors: 100));

        Assert.Equal(OutcomeHistory.MaxMessagesPerRelease + 1, tally.TopErrors.Count);
        Assert.Equal(new ErrorCount(OutcomeHistory.OtherMessages, 5), tally.TopErrors[0]);
        Assert.All(tally.TopErrors, e => Assert.True(e.Message.Length <= OutcomeHistory.MaxMessageLength + 1));
    }

    [Fact]
    public void Releases_AreWhenEachWasFirstSeen()
    {
        var history = new OutcomeHistory();
        Observe(history, "succeeded", release: "v1", seconds: 1);
        Observe(history, "succeeded", release: "v2", seconds: 20);
        Observe(history, "succeeded", release: "v1", seconds: 30);

        Assert.Equal(T0.AddSeconds(1), history.Releases["v1"]);
        Assert.Equal(T0.AddSeconds(20), history.Releases["v2"]);
    }

    [Fact]
    public async Task Observe_FromManyThreadsAtOnce_LosesNoCount()
    {
        var history = new OutcomeHistory(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        using var start = new Barrier(4);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
        {
            start.SignalAndWait(TestContext.Current.CancellationToken);
            for (var i = 0; i < 20_000; i++)
            {
                // New buckets start (and the pruning pass runs) while other threads count.
                Observe(history, i % 4 == 0 ? "retried" : "succeeded", i % 4 == 0 ? FailureClass.Retryable : null, $"timeout {i % 3}",
                    seconds: i / 100.0, type: $"t{thread % 2}");
            }
        }, TestContext.Current.CancellationToken)));

        var tallies = history.Tally(T0, T0.AddSeconds(200));
        Assert.Equal([40_000L, 40_000L], tallies.Select(t => t.Attempts));
        Assert.Equal([10_000L, 10_000L], tallies.Select(t => t.Failures));
        Assert.All(tallies, t => Assert.Equal(10_000L, t.TopErrors.Sum(e => e.Count)));
    }
}
