using Courier.Ledger;
using Courier.Server.Audit;
using Xunit;

namespace Courier.Server.Tests.Audit;

public abstract partial class LedgerAuditTests
{
    [Fact]
    public async Task Live_AuditsDuringAMixedWorkload_NeverFindALoss_AndAtTheEndEveryJobIsTerminal()
    {
        const string type = "liveMix";
        var options = new DispatcherOptions
        {
            GroupId = "audit-live",
            OutcomeLedger = true,
            CommitInterval = TimeSpan.FromMilliseconds(20),
            ShutdownDrainTimeout = TimeSpan.FromSeconds(5),
            RetryTiers = { TimeSpan.FromMilliseconds(50) },
            Rules =
            {
                new JobRule
                {
                    Type = type,
                    Concurrency = 8,
                    Timeout = TimeSpan.FromSeconds(10),
                    Retry = new RetryPolicy { Limit = 2, Delay = TimeSpan.FromMilliseconds(50), Factor = 2 },
                    // A tenth of the jobs fail for good and a tenth exhaust their retries: enough for the breaker to open
                    // and hold the type for its cool-down (seen in CI), which this test is not about.
                    Breaker = BreakerPolicy.Off,
                },
            },
        };
        // One job holds its slot until audits have run while it was in flight: the audits provably overlap the workload.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var h = new DispatcherHarness(OpenLog(), _options, options, async (job, context, ct) =>
        {
            if (job.Params.Name == "gate")
            {
                await gate.Task.WaitAsync(ct);
            }
            return await DispatcherHarness.DefaultBehaviour(job, context, ct);
        });
        static TestParams Job(int i) => (i % 10) switch
        {
            0 => new TestParams($"permanent-{i}", Fail: "recipient opted out"),
            3 or 7 => new TestParams($"flaky-{i}", FailAttempts: 1),
            5 => new TestParams($"exhausted-{i}", FailAttempts: 5),
            _ => new TestParams($"ok-{i}", DelayMs: 2),
        };
        await h.EnqueueAsync(type, [new TestParams("gate"), .. Enumerable.Range(0, 150).Select(Job)]);
        await h.StartAsync();
        await Eventually.TrueAsync(async () => (await Log.ListTopicsAsync(Token)).Any(t => t.Name == _options.Topics.OutcomeLedgerTopic),
            "the dispatcher created the outcome ledger");

        using var stop = new CancellationTokenSource();
        var reports = new List<AuditReport>();
        var auditing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var report = await LedgerAudit.RunAsync(Log, _options, options.GroupId, AuditRange.All, Token);
                lock (reports)
                {
                    reports.Add(report);
                }
                if (report.Total.Pending > 0 && reports.Count >= 2)
                {
                    gate.TrySetResult();
                }
            }
        }, Token);
        await h.EnqueueAsync(type, Enumerable.Range(150, 150).Select(Job));
        await h.WaitUntilAsync(() => gate.Task.IsCompleted || auditing.IsCompleted, "audits ran while the gate job was in flight");
        await h.WaitIdleAsync();
        await stop.CancelAsync();
        await auditing;

        var during = reports.ToList();
        Assert.True(during.Count >= 2, $"{during.Count} audits ran during the workload");
        Assert.Contains(during, r => r.Total.Pending > 0);
        Assert.All(during, r =>
        {
            Assert.True(r.Ledger);
            Assert.Equal(0, r.Total.Unaccounted);
            Assert.Empty(r.Unaccounted);
        });
        var final = await LedgerAudit.RunAsync(Log, _options, options.GroupId, AuditRange.All, Token);
        var deadLetters = await h.ReadDeadLettersAsync();
        Assert.Equal(301, final.Total.Accepted);
        Assert.Equal(final.Total.Accepted, final.Total.TerminalTotal);
        Assert.Equal((0L, 0L, 0L, 0L, 0L), (final.Total.Pending, final.Total.InRetry, final.Total.Unaccounted, final.Total.MatchedByJobId, final.Total.Duplicates));
        Assert.Equal(h.Succeeded.Count, final.Total.Terminal[LedgerOutcomes.Succeeded]);
        Assert.Equal(deadLetters.Count, final.Total.Terminal[LedgerOutcomes.DeadLettered]);
        Assert.True(deadLetters.Count > 0 && h.Executions.Any(e => e.Attempt > 1), "the workload had dead letters and retries");
        Assert.Equal(0, final.UndecodableEntries);
    }
}
