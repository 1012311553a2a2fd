using Courier.Chaos;
using Courier.Ledger;
using Xunit;

namespace Courier.EndToEnd.Chaos;

/// <summary>
/// A short chaos soak per engine, through the harness of <c>bench/Courier.Chaos</c> run in-process: three
/// <c>courier serve</c> dispatchers and two <c>courier runner</c> processes behind fault proxies, 3,000 jobs of every
/// ending (success, transient failures, dead letters, time-outs), and a seeded schedule of six faults that always
/// holds a kill -9 of a dispatcher and one of a runner. The verdict is the harness's: <c>courier audit --json</c> run
/// as a process finds nothing unaccounted, nothing pending or in retry, every duplicate written by a dispatcher the
/// soak killed, and no process exited unasked. The long soaks (a million jobs) are in docs/benchmarks.md.
/// </summary>
public sealed class ChaosSoakTests
{
    private const int Jobs = 3_000;

    [Fact]
    public Task Sqlite_LosesNothing_UnderAShortChaosSoak() => SoakAsync(ChaosEngineKind.Sqlite, seed: 11);

    [Fact]
    public Task Kafka_LosesNothing_UnderAShortChaosSoak() => SoakAsync(ChaosEngineKind.Kafka, seed: 12);

    private static async Task SoakAsync(ChaosEngineKind engine, int seed)
    {
        using var work = new TempDirectory("chaos");
        using var output = new StringWriter();
        var result = await ChaosRun.RunAsync(new ChaosOptions
        {
            Engine = engine,
            Jobs = Jobs,
            Faults = 6,
            Seed = seed,
            Rate = 150,
            WorkDirectory = work.Path,
            DrainBound = TimeSpan.FromMinutes(4),
        }, TextWriter.Synchronized(output), TestContext.Current.CancellationToken);

        var report = output.ToString();
        Assert.True(result.Verdict.Passed, "the chaos soak failed:\n" + report);
        // The faults really happened, and the audit really saw the workload end every way it was made to.
        Assert.True(result.KilledDispatchers >= 1, "no dispatcher was killed:\n" + report);
        Assert.True(result.KilledRunners >= 1, "no runner was killed:\n" + report);
        var audit = Assert.IsType<Courier.Chaos.Verdict.AuditResult>(result.Audit);
        Assert.True(audit.Total.Accepted >= Jobs, $"the audit saw {audit.Total.Accepted} accepted jobs of the {Jobs} enqueued:\n{report}");
        Assert.True(audit.Total.Terminal.GetValueOrDefault(LedgerOutcomes.Succeeded) > Jobs / 2, "too few successes:\n" + report);
        Assert.True(audit.Total.DeadLetteredByClass.GetValueOrDefault("permanent") > 0, "no permanent dead letters:\n" + report);
        Assert.True(audit.Total.DeadLetteredByClass.GetValueOrDefault("retryable") > 0, "no retries ran out:\n" + report);
    }
}
