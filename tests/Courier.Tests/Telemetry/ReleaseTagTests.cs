using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Courier.Telemetry;
using Courier.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Courier.Tests.Telemetry;

/// <summary>
/// The release a dispatcher runs (<see cref="CourierOptions.Release"/>) labels every outcome it counts and every
/// job-failure line it logs, so a failure rate can be told apart by deployment.
/// </summary>
public sealed class ReleaseTagTests
{
    private const string Release = "2026.12.05-test";

    [Fact]
    public async Task FailingJob_OutcomeMeasurement_AndFailureLog_CarryTheConfiguredRelease()
    {
        var directory = new TempDirectory("release");
        using var logs = new LogCapture(LogLevel.Warning);
        var options = new DispatcherOptions
        {
            GroupId = "release-test",
            CommitInterval = TimeSpan.FromMilliseconds(20),
            RetryTiers = { TimeSpan.FromMilliseconds(50) },
            Rules = { new JobRule { Type = "alpha", Retry = new RetryPolicy { Limit = 1, Delay = TimeSpan.FromMilliseconds(50), Factor = 1 } } },
        };
        await using var h = new DispatcherHarness(SqliteJobLog.Open(directory.File("log.db")), new CourierOptions { Release = Release }, options,
            cleanup: directory.Dispose, logger: logs.CreateLogger<Dispatcher>());
        var outcomes = new ConcurrentQueue<(string? Outcome, string? Release)>();
        using var listener = ListenToOutcomes(h, outcomes);

        var job = (await h.EnqueueAsync("alpha", [new TestParams("broken", FailAttempts: 99)])).Single();
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal([("retried", Release), ("dead_lettered", Release)], outcomes.ToArray());
        Assert.Single(logs.Matching(3, job.Id, "release " + Release));
        Assert.Single(logs.Matching(4, job.Id, "release " + Release));
    }

    [Fact]
    public async Task RunnerAnnouncedRelease_LabelsTheOutcome_AndTheDeadLetter_InsteadOfTheDispatchers()
    {
        var directory = new TempDirectory("runner-release");
        await using var runner = await ReleaseRunner.StartAsync("runner-7", ["alpha"], (_, _) => JobResult.Fail("broken in runner-7"));
        var options = new DispatcherOptions
        {
            GroupId = "release-test",
            CommitInterval = TimeSpan.FromMilliseconds(20),
            RetryTiers = { TimeSpan.FromMilliseconds(50) },
            RunnerPools = { runner.Pool() },
            Rules = { new JobRule { Type = "alpha", Runner = "pool", Timeout = TimeSpan.FromSeconds(10) } },
        };
        await using var h = new DispatcherHarness(SqliteJobLog.Open(directory.File("log.db")), new CourierOptions { Release = Release }, options,
            cleanup: directory.Dispose);
        var outcomes = new ConcurrentQueue<(string? Outcome, string? Release)>();
        using var listener = ListenToOutcomes(h, outcomes);

        await h.EnqueueAsync("alpha", [new TestParams("broken")]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal([("dead_lettered", "runner-7")], outcomes.ToArray());
        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal("runner-7", letter.Release);
        Assert.Contains("broken in runner-7", letter.Message, StringComparison.Ordinal);
    }

    /// <summary>Records the outcome and release tags of every <c>courier.jobs.outcomes</c> measurement of <paramref name="h"/>.</summary>
    private static MeterListener ListenToOutcomes(DispatcherHarness h, ConcurrentQueue<(string? Outcome, string? Release)> outcomes)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument, h.Telemetry.Outcomes.Instrument))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            string? outcome = null, release = null;
            foreach (var tag in tags)
            {
                outcome = tag.Key == "outcome" ? tag.Value as string : outcome;
                release = tag.Key == "release" ? tag.Value as string : release;
            }
            outcomes.Enqueue((outcome, release));
        });
        listener.Start();
        return listener;
    }

    [Fact]
    public void Release_IsTheEnvironmentVariable_WhenSet_ElseTheEntryAssemblysInformationalVersion()
    {
        Assert.Equal("deploy-42", ReleaseName.Resolve(name => name == ReleaseName.EnvironmentVariable ? " deploy-42 " : null, null));
        var version = typeof(ReleaseName).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        Assert.Equal(version, ReleaseName.Resolve(_ => null, typeof(ReleaseName).Assembly));
        Assert.Equal(version, ReleaseName.Resolve(_ => "  ", null));
    }
}
