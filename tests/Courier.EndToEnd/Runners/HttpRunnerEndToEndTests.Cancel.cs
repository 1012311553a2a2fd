using Courier.TestRunner;
using Courier.Testing;
using Xunit;

namespace Courier.EndToEnd.Runners;

/// <summary>Cancelling a job that runs on an HTTP runner process (docs/runners.md, "Cancellation").</summary>
public abstract partial class HttpRunnerEndToEndTests
{
    /// <summary>
    /// A job blocked on a runner is cancelled by id: the dispatcher hangs up its request, the runner's endpoint fires
    /// the handler's token (its ledger says cancelled), and the dispatcher ends the job cancelled — not retried, not
    /// dead-lettered — while the job next to it still succeeds on the same runner.
    /// </summary>
    [Fact]
    public async Task Cancel_OfAJobRunningOnARunner_FiresTheHandlersToken_AndEndsItCancelled_NotRetried()
    {
        const string Type = "e2e-cancel";
        await using var world = new RunnerWorld(CreateEngine());
        var never = world.PathOf("never"); // never created: only the cancel ends the blocked job
        var runner = world.StartRunner("a", "--types", Type, "--execution-limit-ms", "55000");
        var pool = RunnerWorld.Pool(await runner.WaitReadyAsync(ReadyDeadline), TimeSpan.FromSeconds(55));
        await world.StartDispatcherAsync(RunnerWorld.Options("cancel", [pool], RunnerWorld.Rule(Type, TimeSpan.FromSeconds(60))));
        var jobs = await world.EnqueueAsync(Type, [new RunnerJobParams(0, BlockFile: never), new RunnerJobParams(1)]);
        IReadOnlyList<LedgerEntry> ledger = [];
        await Eventually.TrueAsync(
            async () => (ledger = await runner.LedgerAsync()).Any(e => e.JobId == jobs[0].Id && e.Event == RunnerLedger.Started),
            "the blocked job runs on the runner", TimeSpan.FromSeconds(45),
            () => ValueTask.FromResult(world.Describe()));

        var result = await world.Dispatcher.CancelAsync(jobs[0].Id, "runaway", "e2e", TestContext.Current.CancellationToken);
        Assert.True(result.RanHere);
        await Eventually.TrueAsync(
            async () => (ledger = await runner.LedgerAsync()).Any(e => e.JobId == jobs[0].Id && e.Event == RunnerLedger.Cancelled),
            "the runner's handler saw its token fire", TimeSpan.FromSeconds(45),
            () => ValueTask.FromResult(string.Join(", ", ledger) + " " + world.Describe()));
        await world.WaitUntilIdleAsync(IdleDeadline);

        var stats = world.Stats(Type);
        Assert.Equal(1, stats.Cancelled);
        Assert.Equal(1, stats.Succeeded);
        Assert.Equal(0, stats.Retried);
        Assert.Equal(0, stats.Pending);
        Assert.Empty(await world.ReadDeadLettersAsync());
        ledger = await runner.LedgerAsync();
        Assert.Equal([1], ledger.Where(e => e.JobId == jobs[0].Id && e.Event == RunnerLedger.Started).Select(e => e.Attempt));
        Assert.Contains(ledger, e => e.JobId == jobs[1].Id && e.Event == RunnerLedger.Succeeded);
    }
}
