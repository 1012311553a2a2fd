using System.Globalization;
using System.Text;
using Courier.EndToEnd.Support;
using Courier.TestRunner;
using Courier.Testing;
using Xunit;

namespace Courier.EndToEnd.Runners;

/// <summary>
/// The HTTP runner path end to end over loopback (issue 4, item 6): a real dispatcher on the engine under test POSTs
/// jobs to runner processes (<c>Courier.TestRunner</c>: <c>AddCourierRunner</c> + <c>MapCourierRunner</c> with a
/// scripted handler) or to a stand-in for MediaWiki's <c>RunSingleJob.php</c>. Each scenario breaks the path one way
/// and ends with every job id reconciled to exactly one terminal state — a success in a runner's ledger, or one dead
/// letter with the class and reason the protocol gives it — and with the dispatcher's and the runner's own counts.
/// Written once; <see cref="SqliteHttpRunnerTests"/> and <see cref="KafkaHttpRunnerTests"/> run it on each engine.
/// </summary>
public abstract partial class HttpRunnerEndToEndTests
{
    private const string PoolName = RunnerWorld.PoolName;

    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan IdleDeadline = TimeSpan.FromSeconds(90);

    /// <summary>The engine the scenarios run on; a fresh one per test.</summary>
    protected abstract RunnerEngine CreateEngine();

    /// <summary>
    /// A runner killed with SIGKILL while jobs run on it: its in-flight requests break, the dispatcher retries them as
    /// retryable (and keeps retrying the jobs that find nothing listening), a new runner starts on the same port, and
    /// every job finishes. Only jobs that were running on the killed runner run a second time.
    /// </summary>
    [Fact]
    public async Task Runner_KilledMidJob_EveryJobFinishesOnItsReplacement_AndOnlyJobsInFlightAtTheKillRunTwice()
    {
        const string Type = "e2e-kill";
        const int Jobs = 400;
        const int Concurrency = 16;
        // Every 40th job blocks until the release file exists, so the kill always finds jobs running on the runner;
        // the others work briefly, so the kill also lands among jobs that are starting and finishing.
        static bool IsBlocked(int i) => i % 40 == 7;
        await using var world = new RunnerWorld(CreateEngine());
        var release = world.PathOf("release");
        // Long limits: no job may time out while it waits for the kill, so every second run is the kill's doing.
        var limit = TimeSpan.FromSeconds(55);
        string[] runnerArguments = ["--types", Type, "--execution-limit-ms", "55000"];
        var a = world.StartRunner("a", runnerArguments);
        var url = await a.WaitReadyAsync(ReadyDeadline);
        var pool = RunnerWorld.Pool(url, limit);
        var endpoint = pool.Endpoints()[0].ToString();
        // Retries at 0.25, 0.5, 1, 2, 4 and 8 s: room for the replacement to start while jobs find nothing listening.
        await world.StartDispatcherAsync(RunnerWorld.Options("kill", [pool],
            RunnerWorld.Rule(Type, TimeSpan.FromSeconds(60), Concurrency, retryLimit: 6, factor: 2)));
        var jobs = await world.EnqueueAsync(Type, Enumerable.Range(0, Jobs)
            .Select(i => (object)new RunnerJobParams(i, WorkMilliseconds: 10, BlockFile: IsBlocked(i) ? release : null)));
        var blocked = jobs.Where((_, i) => IsBlocked(i)).Select(j => j.Id).ToHashSet(StringComparer.Ordinal);

        IReadOnlyList<LedgerEntry> seen = [];
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(a.HasExited, $"runner a exited before the kill. {world.Describe()}");
                seen = await a.LedgerAsync();
                return seen.Count(e => e.Event == RunnerLedger.Started && blocked.Contains(e.JobId)) >= 5
                    && seen.Count(e => e.Event == RunnerLedger.Succeeded) >= 50;
            },
            "runner a started the blocked jobs and ran 50 others",
            TimeSpan.FromSeconds(45),
            () => ValueTask.FromResult($"runner a shows {seen.Count(e => e.Event == RunnerLedger.Succeeded)} successes and "
                + $"{seen.Count(e => e.Event == RunnerLedger.Started && blocked.Contains(e.JobId))} blocked jobs started. {world.Describe()}"));
        a.KillHard();
        await a.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var atKill = await a.LedgerAsync();
        var startedOnA = Ids(atKill, RunnerLedger.Started);
        var finishedOnA = Ids(atKill, RunnerLedger.Succeeded);
        var cutOff = startedOnA.Except(finishedOnA).ToHashSet(StringComparer.Ordinal);
        Assert.True(cutOff.Count > 0, "no job was running on runner a when it was killed, so the kill proved nothing");

        await File.WriteAllTextAsync(release, "", TestContext.Current.CancellationToken);
        var b = world.StartRunner("b", ["--port", url.Port.ToString(CultureInfo.InvariantCulture), .. runnerArguments]);
        Assert.Equal(url, await b.WaitReadyAsync(ReadyDeadline));
        await world.WaitUntilIdleAsync(IdleDeadline);

        var ledger = await world.LedgersAsync();
        var onB = (await b.LedgerAsync()).ToLookup(e => e.JobId, StringComparer.Ordinal);
        var letters = await world.ReadDeadLettersAsync();
        var problems = Reconcile(jobs, _ => null, Successes(ledger), letters);
        Assert.True(problems.Count == 0, $"{problems.Count} jobs did not end as expected:\n  {string.Join("\n  ", problems.Take(10))}\n{world.Describe()}");
        var stats = world.Stats(Type);
        Assert.Equal(Jobs, stats.Started);
        Assert.Equal(Jobs, stats.Succeeded);
        Assert.Equal(0, stats.DeadLettered);
        Assert.True(stats.Retried >= cutOff.Count, $"{stats.Retried} retries for {cutOff.Count} jobs cut off by the kill");

        // Every job cut off by the kill (every blocked one a had started among them) ran again on b, as a retry.
        Assert.Subset(cutOff, startedOnA.Intersect(blocked).ToHashSet(StringComparer.Ordinal));
        foreach (var id in cutOff)
        {
            Assert.True(onB[id].Any(e => e.Event == RunnerLedger.Succeeded && e.Attempt >= 2),
                $"job {id} was running on a when it was killed but did not succeed on b as a retry: {string.Join(", ", onB[id])}");
            Assert.True(world.DispatcherLog.Matching(3, id, "(retryable)", $"runner {endpoint}:").Count > 0,
                $"no retryable failure naming the runner was logged for job {id}:\n{world.DispatcherLog.Tail()}");
        }
        // A second run is always explained by the kill: the job had started on a, and a second run is a retry. No
        // more jobs can run twice than were in flight at the kill, which is at most the rule's concurrency.
        var ranTwice = ledger.Where(e => e.Event == RunnerLedger.Started).GroupBy(e => e.JobId, StringComparer.Ordinal)
            .Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(startedOnA, ranTwice);
        Assert.Superset(cutOff, ranTwice);
        Assert.True(ranTwice.Count <= Concurrency, $"{ranTwice.Count} jobs ran twice, more than the {Concurrency} that can be in flight");
        Assert.All(ranTwice, id => Assert.All(onB[id], e => Assert.True(e.Attempt >= 2, $"job {id} ran again on b as attempt {e.Attempt}")));

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"[{world.Engine.Name}] kill -9 of runner a after {finishedOnA.Count} of {Jobs} jobs succeeded on it; {cutOff.Count} were running on it "
            + $"({startedOnA.Intersect(blocked).Count()} of them blocked); {ranTwice.Count} jobs ran twice ({ranTwice.Intersect(finishedOnA).Count()} "
            + $"had finished on a but their answer was lost); dispatcher: {InProcessCourier.Describe(stats)}");
    }

    /// <summary>
    /// A runner too slow to answer: one that stalls before its endpoint hits the dispatcher's timeout, one whose handler
    /// overruns is stopped by the runner's own execution limit (504). Either is retried by the rule, then dead-lettered
    /// as retryable with a message naming the timeout; a job slow only once finishes on its retry.
    /// </summary>
    [Fact]
    public async Task Runner_TooSlow_IsRetriedThenDeadLettered_WithTheTimeoutInTheMessage()
    {
        const string Type = "e2e-slow";
        await using var world = new RunnerWorld(CreateEngine());
        var runner = world.StartRunner("slow", "--types", Type, "--execution-limit-ms", "1000", "--stall", "true");
        var url = await runner.WaitReadyAsync(ReadyDeadline);
        var pool = RunnerWorld.Pool(url, TimeSpan.FromSeconds(1));
        var endpoint = pool.Endpoints()[0].ToString();
        var rule = RunnerWorld.Rule(Type, TimeSpan.FromSeconds(2), retryLimit: 1);
        // Off: half of these attempts fail on purpose, and the breaker would hold them instead of dead-lettering them.
        rule.Breaker = BreakerPolicy.Off;
        await world.StartDispatcherAsync(RunnerWorld.Options("slow", [pool], rule));

        const int Forever = 60_000;
        var plan = new List<(string Kind, RunnerJobParams Params)>();
        for (var i = 0; i < 2; i++)
        {
            plan.Add(("stalled", new RunnerJobParams(plan.Count, StallMilliseconds: Forever)));
            plan.Add(("stalled once", new RunnerJobParams(plan.Count, StallMilliseconds: Forever, StallAttempts: 1)));
            plan.Add(("overrun", new RunnerJobParams(plan.Count, WorkMilliseconds: Forever)));
            plan.Add(("overrun once", new RunnerJobParams(plan.Count, WorkMilliseconds: Forever, WorkAttempts: 1)));
        }
        for (var i = 0; i < 6; i++)
        {
            plan.Add(("quick", new RunnerJobParams(plan.Count)));
        }
        var jobs = await world.EnqueueAsync(Type, plan.Select(p => (object)p.Params));
        await world.WaitUntilIdleAsync(IdleDeadline);

        var ledger = await world.LedgersAsync();
        var letters = await world.ReadDeadLettersAsync();
        var problems = Reconcile(jobs, i => plan[i].Kind is "stalled" or "overrun" ? FailureClass.Retryable : null, Successes(ledger), letters);
        Assert.True(problems.Count == 0, $"{problems.Count} jobs did not end as expected:\n  {string.Join("\n  ", problems)}\n{world.Describe()}");
        // What each job did on the runner, attempt by attempt. A cancelled handler's row may land just after the
        // runner's 504 (it answers within 100 ms of the limit whether or not the handler has returned), so wait for it.
        static string Expected(string kind) => kind switch
        {
            "stalled" => "stalled@1, stalled@2", // held before the endpoint until the dispatcher gave up, twice
            "overrun" => "started@1, cancelled@1, started@2, cancelled@2",
            "stalled once" => "stalled@1, started@2, succeeded@2",
            "overrun once" => "started@1, cancelled@1, started@2, succeeded@2",
            _ => "started@1, succeeded@1",
        };
        var mismatches = new List<string>();
        await Eventually.TrueAsync(
            async () =>
            {
                var rows = (await world.LedgersAsync()).ToLookup(e => e.JobId, StringComparer.Ordinal);
                mismatches = plan.Select((p, i) => (p.Kind, Id: jobs[i].Id,
                        Events: string.Join(", ", rows[jobs[i].Id].OrderBy(e => e.Attempt).Select(e => $"{e.Event}@{e.Attempt}"))))
                    .Where(j => j.Events != Expected(j.Kind))
                    .Select(j => $"{j.Kind} job {j.Id}: {j.Events} (expected {Expected(j.Kind)})").ToList();
                return mismatches.Count == 0;
            },
            "every runner ledger showed the planned events",
            TimeSpan.FromSeconds(10),
            () => ValueTask.FromResult(string.Join("\n", mismatches) + "\n" + world.Describe()));
        for (var i = 0; i < plan.Count; i++)
        {
            var id = jobs[i].Id;
            var letter = letters.SingleOrDefault(l => l.JobId == id);
            switch (plan[i].Kind)
            {
                case "stalled":
                    Assert.Equal(2, letter!.Attempts);
                    Assert.Contains("timed out after 00:00:02", letter.Message, StringComparison.Ordinal);
                    Assert.Contains($"runner {endpoint}: no answer within 2 s, the rule's timeout", letter.Message, StringComparison.Ordinal);
                    break;
                case "overrun":
                    Assert.Equal(2, letter!.Attempts);
                    Assert.Equal($"runner {endpoint}: 504 execution limit exceeded: the job ran longer than 1000 ms", letter.Message);
                    break;
                case "stalled once":
                    Assert.True(world.DispatcherLog.Matching(3, id, "(retryable)", "timed out after 00:00:02").Count == 1, world.DispatcherLog.Tail());
                    break;
                case "overrun once":
                    Assert.True(world.DispatcherLog.Matching(3, id, "(retryable)", "504 execution limit exceeded").Count == 1, world.DispatcherLog.Tail());
                    break;
                default:
                    Assert.Null(letter);
                    break;
            }
        }
        var stats = world.Stats(Type);
        Assert.Equal(10, stats.Succeeded);
        Assert.Equal(4, stats.DeadLettered);
        Assert.Equal(4, stats.DeadLetteredByClass.GetValueOrDefault(FailureClass.Retryable));
        Assert.Equal(8, stats.Retried);
        Assert.All(letters, l => Assert.Equal(PoolName, l.Executor));
    }

    /// <summary>
    /// A burst of 5xx: the runner's handler throws for its first 30 calls. Each failure is a 500 that the dispatcher
    /// retries; every job finishes, and both sides count exactly the burst.
    /// </summary>
    [Fact]
    public async Task Runner_BurstOf500s_IsRetried_AndEveryJobFinishes_WithTheBurstCountedOnBothSides()
    {
        const string Type = "e2e-burst";
        const int Jobs = 100;
        const int Burst = 30;
        await using var world = new RunnerWorld(CreateEngine());
        var runner = world.StartRunner("burst", "--types", Type, "--fail-first", Burst.ToString(CultureInfo.InvariantCulture));
        var url = await runner.WaitReadyAsync(ReadyDeadline);
        var pool = RunnerWorld.Pool(url, TimeSpan.FromSeconds(5));
        var rule = RunnerWorld.Rule(Type, TimeSpan.FromSeconds(10), retryLimit: 5);
        // Off: the test counts one retry per failure of the burst; past 20 failures the breaker would hold them instead.
        rule.Breaker = BreakerPolicy.Off;
        await world.StartDispatcherAsync(RunnerWorld.Options("burst", [pool], rule));
        var jobs = await world.EnqueueAsync(Type, Enumerable.Range(0, Jobs).Select(i => (object)new RunnerJobParams(i)));
        await world.WaitUntilIdleAsync(IdleDeadline);

        var ledger = await world.LedgersAsync();
        var letters = await world.ReadDeadLettersAsync();
        var problems = Reconcile(jobs, _ => null, Successes(ledger), letters);
        Assert.True(problems.Count == 0, $"{problems.Count} jobs did not end as expected:\n  {string.Join("\n  ", problems.Take(10))}\n{world.Describe()}");
        var rows = ledger.ToLookup(e => e.JobId, StringComparer.Ordinal);
        var failures = ledger.Where(e => e.Event == RunnerLedger.Failed).Select(f => f.Detail ?? "").Order(StringComparer.Ordinal).ToList();
        var stats = world.Stats(Type);
        var metrics = await runner.MetricsAsync();
        // Every count at once, so a mismatch shows them all with the jobs that differ.
        var mismatches = new List<string>();
        void Expect(string what, double expected, double actual)
        {
            if (expected != actual)
            {
                mismatches.Add($"{what}: expected {expected}, got {actual}");
            }
        }
        Expect("jobs that succeeded other than once on the runner", 0, jobs.Count(j => rows[j.Id].Count(e => e.Event == RunnerLedger.Succeeded) != 1));
        Expect("distinct burst failures in the ledger", Burst, failures.Distinct(StringComparer.Ordinal).Count(d => d.StartsWith("burst: call ", StringComparison.Ordinal)));
        Expect("failures in the ledger", Burst, failures.Count);
        Expect("dispatcher: succeeded", Jobs, stats.Succeeded);
        Expect("dispatcher: retried", Burst, stats.Retried);
        Expect("dispatcher: executions", Jobs + Burst, stats.Executions);
        Expect("dispatcher: dead-lettered", 0, stats.DeadLettered);
        Expect("runner: 500 retryable answers", Burst,
            RunnerProcess.Count(metrics, "courier.runner.requests", $"job.type={Type}", "http.response.status_code=500", "failure.class=retryable"));
        Expect("runner: 200 answers", Jobs,
            RunnerProcess.Count(metrics, "courier.runner.requests", $"job.type={Type}", "http.response.status_code=200", "outcome=succeeded"));
        Expect("dispatcher log: retries of a 500 burst failure", Burst,
            world.DispatcherLog.Matching(3, "(retryable)", ": 500 InvalidOperationException: burst: call ").Count);
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches) + "\nJobs that did not run exactly as expected:\n  "
            + string.Join("\n  ", jobs.Where(j => rows[j.Id].Count(e => e.Event == RunnerLedger.Succeeded) != 1
                    || rows[j.Id].Count(e => e.Event == RunnerLedger.Started) != rows[j.Id].Count(e => e.Event == RunnerLedger.Failed) + 1)
                .Select(j => $"{j.Id} at {j.Position}: {string.Join(", ", rows[j.Id].Select(e => $"{e.Event}@{e.Attempt}"))}"))
            + $"\nRunner metrics: {string.Join("; ", metrics.Select(kv => $"{kv.Key} {kv.Value}"))}\n{world.Describe()}");
    }

    /// <summary>
    /// Backpressure spends no attempt: a read-only runner answers 423 until it is writable again, and a runner that takes
    /// one job at a time answers 429 to the rule's other concurrent requests. With a retry limit of 0 every job still
    /// finishes, each on its first attempt, and nothing is retried or dead-lettered.
    /// </summary>
    [Fact]
    public async Task Runner_ReadOnlyAndOverloaded_AnswersBackpressure_AndNoJobSpendsAnAttempt()
    {
        const string Type = "e2e-busy";
        // Few jobs: once the runner is writable they go through it one at a time, each 429 costing a 1 s Retry-After.
        const int Jobs = 6;
        await using var world = new RunnerWorld(CreateEngine());
        var readOnly = world.PathOf("read-only");
        await File.WriteAllTextAsync(readOnly, "", TestContext.Current.CancellationToken);
        var runner = world.StartRunner("busy", "--types", Type, "--max-concurrency", "1", "--read-only-file", readOnly, "--retry-after-s", "1");
        var url = await runner.WaitReadyAsync(ReadyDeadline);
        var pool = RunnerWorld.Pool(url, TimeSpan.FromSeconds(5));
        // Retry limit 0: a backpressure answer that spent an attempt would dead-letter the job.
        await world.StartDispatcherAsync(RunnerWorld.Options("busy", [pool], RunnerWorld.Rule(Type, TimeSpan.FromSeconds(10), concurrency: 3, retryLimit: 0)));
        var jobs = await world.EnqueueAsync(Type, Enumerable.Range(0, Jobs).Select(i => (object)new RunnerJobParams(i, WorkMilliseconds: 50)));

        // Read-only until every job has been refused with 423 at least once.
        await Eventually.TrueAsync(
            () => ValueTask.FromResult(jobs.All(j => world.DispatcherLog.Matching(6, j.Id, ": 423 the runner is read-only").Count > 0)),
            "every job was refused as read-only",
            TimeSpan.FromSeconds(60),
            () => ValueTask.FromResult($"not every job was refused as read-only. {world.Describe()}"));
        File.Delete(readOnly);
        await world.WaitUntilIdleAsync(IdleDeadline);

        var ledger = await world.LedgersAsync();
        var letters = await world.ReadDeadLettersAsync();
        var problems = Reconcile(jobs, _ => null, Successes(ledger), letters);
        Assert.True(problems.Count == 0, $"{problems.Count} jobs did not end as expected:\n  {string.Join("\n  ", problems)}\n{world.Describe()}");
        // Each job reached the handler exactly once, as attempt 1: the 423s and 429s came before it and spent nothing.
        foreach (var job in jobs)
        {
            Assert.Equal(["started@1", "succeeded@1"], ledger.Where(e => e.JobId == job.Id).Select(e => $"{e.Event}@{e.Attempt}"));
        }
        var stats = world.Stats(Type);
        Assert.Equal(Jobs, stats.Succeeded);
        Assert.Equal(0, stats.Retried);
        Assert.Equal(0, stats.DeadLettered);
        var metrics = await runner.MetricsAsync();
        var readOnlyAnswers = RunnerProcess.Count(metrics, "courier.runner.requests", "http.response.status_code=423", "failure.class=backpressure");
        var busyAnswers = RunnerProcess.Count(metrics, "courier.runner.requests", "http.response.status_code=429", "failure.class=backpressure");
        Assert.True(readOnlyAnswers >= Jobs, $"{readOnlyAnswers} read-only answers for {Jobs} jobs");
        Assert.True(busyAnswers >= 1, $"the runner never answered 429 although the rule sends 3 jobs at once to a runner that takes 1. {world.Describe()}");
        Assert.Equal(readOnlyAnswers + busyAnswers, stats.Backpressured);
        Assert.Empty(world.DispatcherLog.Matching(3));
        TestContext.Current.TestOutputHelper?.WriteLine($"[{world.Engine.Name}] {readOnlyAnswers} answers 423, {busyAnswers} answers 429; {InProcessCourier.Describe(stats)}");
    }

    /// <summary>
    /// Signatures: the runner accepts both keys of a rotation; a dispatcher signing with a key id the runner does not
    /// have, or with the right id and the wrong secret, gets 403. Those jobs are dead-lettered at once (permanent) with
    /// the runner's reason, never reach a handler, and the runner counts each refusal by reason.
    /// </summary>
    [Fact]
    public async Task Runner_RefusesABadSignatureWith403_AndTheJobIsDeadLetteredAsPermanentWithTheRunnersReason()
    {
        const string Good = "e2e-sig-good";
        const string Unknown = "e2e-sig-unknown";
        const string Forged = "e2e-sig-forged";
        const int PerType = 5;
        await using var world = new RunnerWorld(CreateEngine());
        var runner = world.StartRunner("sig", "--types", $"{Good},{Unknown},{Forged}");
        var url = await runner.WaitReadyAsync(ReadyDeadline);
        var limit = TimeSpan.FromSeconds(5);
        var signed = RunnerWorld.Pool(url, limit, "signed");
        signed.SigningKey = RunnerWorld.SecondKey; // the runner's second key: a dispatcher that has already rotated
        var stranger = RunnerWorld.Pool(url, limit, "stranger");
        stranger.SigningKey = new RunnerKey("stranger", "a-key-no-runner-has-0123456789");
        var forged = RunnerWorld.Pool(url, limit, "forged");
        forged.SigningKey = new RunnerKey(RunnerWorld.Key.Id, "not-the-runners-secret-012345");
        var timeout = TimeSpan.FromSeconds(10);
        await world.StartDispatcherAsync(RunnerWorld.Options("sig", [signed, stranger, forged],
            RunnerWorld.Rule(Good, timeout, retryLimit: 3, pool: "signed"),
            RunnerWorld.Rule(Unknown, timeout, retryLimit: 3, pool: "stranger"),
            RunnerWorld.Rule(Forged, timeout, retryLimit: 3, pool: "forged")));
        var good = await world.EnqueueAsync(Good, Enumerable.Range(0, PerType).Select(i => (object)new RunnerJobParams(i)));
        var unknown = await world.EnqueueAsync(Unknown, Enumerable.Range(0, PerType).Select(i => (object)new RunnerJobParams(i)));
        var wrong = await world.EnqueueAsync(Forged, Enumerable.Range(0, PerType).Select(i => (object)new RunnerJobParams(i)));
        await world.WaitUntilIdleAsync(IdleDeadline);

        var ledger = await world.LedgersAsync();
        var letters = await world.ReadDeadLettersAsync();
        var all = good.Concat(unknown).Concat(wrong).ToList();
        var problems = Reconcile(all, i => i < PerType ? null : FailureClass.Permanent, Successes(ledger), letters);
        Assert.True(problems.Count == 0, $"{problems.Count} jobs did not end as expected:\n  {string.Join("\n  ", problems)}\n{world.Describe()}");
        var endpoint = signed.Endpoints()[0];
        foreach (var (jobs, pool, reason) in new[]
        {
            (unknown, "stranger", "key id 'stranger' is not one of this runner's keys"),
            (wrong, "forged", $"the signature does not match this request (method, target, host, key id, nonce, attempt, timeout, probe mark, body) under key '{RunnerWorld.Key.Id}'"),
        })
        {
            foreach (var job in jobs)
            {
                var letter = letters.Single(l => l.JobId == job.Id);
                Assert.Equal($"runner {endpoint}: 403 {reason}", letter.Message);
                Assert.Equal(1, letter.Attempts); // never retried
                Assert.Equal(pool, letter.Executor);
                Assert.DoesNotContain(ledger, e => e.JobId == job.Id); // never reached a handler
            }
        }
        var metrics = await runner.MetricsAsync();
        Assert.Equal(PerType, RunnerProcess.Count(metrics, "courier.runner.signature.rejections", "reason=unknown_key"));
        Assert.Equal(PerType, RunnerProcess.Count(metrics, "courier.runner.signature.rejections", "reason=invalid"));
        Assert.Equal(2 * PerType, RunnerProcess.Count(metrics, "courier.runner.requests", "http.response.status_code=403", "outcome=rejected"));
        Assert.Equal(PerType, RunnerProcess.Count(metrics, "courier.runner.requests", "http.response.status_code=200"));
        Assert.Equal(PerType, world.Stats(Unknown).DeadLetteredByClass.GetValueOrDefault(FailureClass.Permanent));
        Assert.Equal(PerType, world.Stats(Forged).DeadLetteredByClass.GetValueOrDefault(FailureClass.Permanent));
        Assert.Equal(0, world.Stats(Unknown).Retried + world.Stats(Forged).Retried);
    }

    /// <summary>
    /// Bodies that cannot become jobs: records in the log that are not JSON, miss a required field or exceed the
    /// dispatcher's event limit are caught by the dispatcher's own decoder before any request; bodies the runner
    /// cannot take — larger than its <c>MaxBodyBytes</c> (413), params that do not bind to its handler (400), a type it
    /// has no handler for (404) — come back with the runner's reason. Every one is dead-lettered with class
    /// <c>decode</c>, never retried, its bytes unchanged, while good jobs flow.
    /// </summary>
    [Fact]
    public async Task MalformedAndOversizeBodies_AreDeadLetteredAsDecode_WithTheReason_WhereverTheyAreCaught()
    {
        const string Type = "e2e-bodies";
        const string Orphan = "e2e-orphan";
        const int DispatcherLimit = 64 * 1024;
        const int RunnerLimit = 16 * 1024;
        await using var world = new RunnerWorld(CreateEngine(), new CourierOptions { MaxEventBytes = DispatcherLimit });
        var runner = world.StartRunner("bodies", "--types", Type, "--max-body-bytes", RunnerLimit.ToString(CultureInfo.InvariantCulture));
        var url = await runner.WaitReadyAsync(ReadyDeadline);
        var pool = RunnerWorld.Pool(url, TimeSpan.FromSeconds(5));
        var endpoint = pool.Endpoints()[0].ToString();
        var timeout = TimeSpan.FromSeconds(10);
        await world.StartDispatcherAsync(RunnerWorld.Options("bodies", [pool], RunnerWorld.Rule(Type, timeout), RunnerWorld.Rule(Orphan, timeout)));
        var topic = world.CourierOptions.Topics.JobTopic(Type);

        var good = await world.EnqueueAsync(Type, Enumerable.Range(0, 5).Select(i => (object)new RunnerJobParams(i)));
        var bad = new List<BadBody>();
        // Caught by the runner: the dispatcher decodes these fine and POSTs them.
        var tooLarge = (await world.EnqueueAsync(Type, [new RunnerJobParams(100, Padding: new string('x', 2 * RunnerLimit))]))[0];
        bad.Add(new("larger than the runner's limit", tooLarge.Id, null, $"runner {endpoint}: 413 body is ", $"bytes; the limit is {RunnerLimit}"));
        var unbindable = (await world.EnqueueAsync(Type, [new { index = "seven" }]))[0];
        bad.Add(new("params that do not bind", unbindable.Id, null, $"runner {endpoint}: 400 params do not bind to {nameof(RunnerJobParams)}: ", "$.index"));
        var orphan = (await world.EnqueueAsync(Orphan, [new RunnerJobParams(200)]))[0];
        bad.Add(new("a type the runner has no handler for", orphan.Id, null,
            $"runner {endpoint}: 404 unknown job type '{Orphan}': this runner has no handler for it", null));
        // Caught by the dispatcher's decoder: these never reach the runner.
        byte[] notJson = "this is not json {"u8.ToArray();
        await world.ProduceRawAsync(topic, "wiki0", notJson);
        bad.Add(new("not JSON", null, notJson, "JSON", null));
        var noIdBytes = RawEvent(null, Type, """{"index":300}""");
        await world.ProduceRawAsync(topic, "wiki0", noIdBytes);
        bad.Add(new("an event without meta.id", null, noIdBytes, "meta.id", null));
        // The size check comes first, so its dead letter carries no job id: it is found by its bytes.
        var huge = RawEvent(Guid.NewGuid().ToString(), Type, $$"""{"index":400,"padding":"{{new string('x', DispatcherLimit)}}"}""");
        await world.ProduceRawAsync(topic, "wiki0", huge);
        bad.Add(new("larger than the dispatcher's event limit", null, huge, $"event is {huge.Length} bytes; the limit is {DispatcherLimit}", null));
        await world.WaitUntilIdleAsync(IdleDeadline);

        var ledger = await world.LedgersAsync();
        var letters = await world.ReadDeadLettersAsync();
        var problems = Reconcile(good, _ => null, Successes(ledger), letters);
        Assert.True(problems.Count == 0, $"good jobs did not all succeed:\n  {string.Join("\n  ", problems)}\n{world.Describe()}");
        Assert.Equal(bad.Count, letters.Count);
        foreach (var body in bad)
        {
            var matching = letters.Where(l => body.JobId is not null ? l.JobId == body.JobId : l.OriginalEvent.Span.SequenceEqual(body.Bytes)).ToList();
            Assert.True(matching.Count == 1, $"{body.What}: {matching.Count} dead letters. {world.Describe()}");
            var letter = matching[0];
            Assert.True(letter.Class == FailureClass.Decode, $"{body.What}: class {letter.Class}, message {letter.Message}");
            Assert.True(letter.Message?.Contains(body.Reason, StringComparison.Ordinal) == true, $"{body.What}: message '{letter.Message}' does not say '{body.Reason}'");
            Assert.True(body.AlsoSays is null || letter.Message!.Contains(body.AlsoSays, StringComparison.Ordinal), $"{body.What}: message '{letter.Message}' does not say '{body.AlsoSays}'");
            Assert.Equal(1, letter.Attempts);
            if (body.Bytes is not null)
            {
                Assert.Equal(body.Bytes, letter.OriginalEvent.ToArray());
            }
        }
        // The runner saw exactly the good jobs and the three it refused, each counted under its status.
        var metrics = await runner.MetricsAsync();
        Assert.Equal(5, RunnerProcess.Count(metrics, "courier.runner.requests", "http.response.status_code=200"));
        Assert.Equal(1, RunnerProcess.Count(metrics, "courier.runner.requests", "http.response.status_code=413", "failure.class=decode"));
        Assert.Equal(1, RunnerProcess.Count(metrics, "courier.runner.requests", "http.response.status_code=400", "failure.class=decode"));
        Assert.Equal(1, RunnerProcess.Count(metrics, "courier.runner.requests", "http.response.status_code=404", "failure.class=decode"));
        Assert.Equal(8, RunnerProcess.Count(metrics, "courier.runner.requests"));
        Assert.Equal(good.Select(j => j.Id).Order(StringComparer.Ordinal), ledger.Select(e => e.JobId).Distinct().Order(StringComparer.Ordinal));
        // The runner explains the ones it refused in its own log too, by job id where it had decoded one.
        await Eventually.TrueAsync(
            () => ValueTask.FromResult(runner.Output.Contains($"Job {unbindable.Id} ({Type}, release {RunnerProcess.Release}) could not be decoded: 400", StringComparison.Ordinal)
                && runner.Output.Contains($"Job {orphan.Id} ({Orphan}, release {RunnerProcess.Release}) could not be decoded: 404", StringComparison.Ordinal)
                && runner.Output.Contains($"Runner (release {RunnerProcess.Release}) could not decode a request: 413 (decode)", StringComparison.Ordinal)),
            "the runner's log explained its refusals",
            TimeSpan.FromSeconds(10),
            () => ValueTask.FromResult("the runner's log does not explain its refusals:\n" + runner.Tail()));
        Assert.Equal(5, world.Stats(Type).DeadLetteredByClass.GetValueOrDefault(FailureClass.Decode));
        Assert.Equal(1, world.Stats(Orphan).DeadLetteredByClass.GetValueOrDefault(FailureClass.Decode));
    }

    /// <summary>
    /// MediaWiki mode against a stand-in for <c>RunSingleJob.php</c>: unsigned POSTs of the event as it is in the log;
    /// 200 with an empty body is done, 500 is retried, 500 with <c>X-Readonly</c> is backpressure (no attempt spent),
    /// 400 is permanent.
    /// </summary>
    [Fact]
    public async Task MediaWikiMode_AgainstRunSingleJobStandIn_MapsEveryAnswerToItsOutcome()
    {
        const string Type = "e2e-mw";
        await using var world = new RunnerWorld(CreateEngine());
        await using var standIn = await MediaWikiStandIn.StartAsync();
        var pool = new RunnerPoolOptions
        {
            Name = "mediawiki",
            Mode = RunnerMode.MediaWiki,
            Urls = [standIn.Url],
            ExecutionLimit = TimeSpan.FromSeconds(2),
            RetryAfterDefault = TimeSpan.FromMilliseconds(250),
        };
        await world.StartDispatcherAsync(RunnerWorld.Options("mw", [pool], RunnerWorld.Rule(Type, TimeSpan.FromSeconds(5), retryLimit: 2, pool: "mediawiki")));
        string[] answers = ["ok", "ok", "ok", "ok", "retry-once", "retry-once", "readonly-once", "readonly-once", "invalid", "invalid", "always-500", "always-500"];
        var jobs = await world.EnqueueAsync(Type, answers.Select((a, i) => (object)new MediaWikiParams(i, a)));
        await world.WaitUntilIdleAsync(IdleDeadline);

        var requests = standIn.Requests.ToList();
        var successes = requests.Where(r => r.JobId is not null && Answered200(answers[IndexOf(jobs, r.JobId)], r.Call))
            .GroupBy(r => r.JobId!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var letters = await world.ReadDeadLettersAsync();
        var problems = Reconcile(jobs, i => answers[i] switch
        {
            "invalid" => FailureClass.Permanent,
            "always-500" => FailureClass.Retryable,
            _ => null,
        }, successes, letters);
        Assert.True(problems.Count == 0, $"{problems.Count} jobs did not end as expected:\n  {string.Join("\n  ", problems)}\n{world.Describe()}");

        var endpoint = standIn.Url.ToString();
        for (var i = 0; i < jobs.Count; i++)
        {
            var calls = requests.Where(r => r.JobId == jobs[i].Id).ToList();
            var letter = letters.SingleOrDefault(l => l.JobId == jobs[i].Id);
            switch (answers[i])
            {
                case "ok":
                    Assert.Equal(["1"], calls.Select(c => c.Attempt));
                    break;
                case "retry-once":
                    Assert.Equal(["1", "2"], calls.Select(c => c.Attempt));
                    break;
                case "readonly-once":
                    // Backpressure: the second request is still attempt 1.
                    Assert.Equal(["1", "1"], calls.Select(c => c.Attempt));
                    Assert.Single(world.DispatcherLog.Matching(6, jobs[i].Id, $"runner {endpoint}: 500 the wiki is read-only (X-Readonly)"));
                    break;
                case "invalid":
                    Assert.Equal(["1"], calls.Select(c => c.Attempt));
                    Assert.Equal($"runner {endpoint}: 400 Invalid event received!", letter!.Message);
                    Assert.Equal(1, letter.Attempts);
                    break;
                default:
                    Assert.Equal(["1", "2", "3"], calls.Select(c => c.Attempt));
                    Assert.Equal($"runner {endpoint}: 500 Internal Server Error", letter!.Message);
                    Assert.Equal(3, letter.Attempts);
                    break;
            }
            if (letter is not null)
            {
                Assert.Equal("mediawiki", letter.Executor);
            }
        }
        // The event as it is in the log, unsigned (RunSingleJob.php checks none), as JSON.
        var recorded = await TopicReader.ReadAllAsync(world.Log, world.CourierOptions.Topics.JobTopic(Type));
        Assert.All(requests, r =>
        {
            Assert.False(r.Signed);
            Assert.Equal(RunnerProtocol.ContentType, r.ContentType);
            Assert.Contains(recorded, record => record.Value.Span.SequenceEqual(r.Body));
        });
        var stats = world.Stats(Type);
        Assert.Equal(8, stats.Succeeded);
        Assert.Equal(2, stats.Backpressured);
        Assert.Equal(2 + 2 * 2, stats.Retried);
        Assert.Equal(2, stats.DeadLetteredByClass.GetValueOrDefault(FailureClass.Permanent));
        Assert.Equal(2, stats.DeadLetteredByClass.GetValueOrDefault(FailureClass.Retryable));
    }

    /// <summary>A record that cannot become a job, and what its dead letter must say.</summary>
    private sealed record BadBody(string What, string? JobId, byte[]? Bytes, string Reason, string? AlsoSays);

    /// <summary>
    /// Checks that every job ended in exactly one terminal state, the one <paramref name="expected"/> gives its index
    /// (null: success; a class: one dead letter of that class). Returns one line per job that did not.
    /// </summary>
    private static List<string> Reconcile(IReadOnlyList<EnqueuedJob> jobs, Func<int, FailureClass?> expected,
        IReadOnlyDictionary<string, int> successes, IReadOnlyList<DeadLetter> letters)
    {
        var lettersById = letters.Where(l => l.JobId is not null).ToLookup(l => l.JobId!, StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < jobs.Count; i++)
        {
            var id = jobs[i].Id;
            var succeeded = successes.GetValueOrDefault(id);
            var lettered = lettersById[id].ToList();
            var want = expected(i);
            var state = (succeeded, lettered.Count) switch
            {
                (0, 0) => "lost: neither succeeded nor dead-lettered",
                ( > 0, 0) when want is null => null,
                (0, 1) when want == lettered[0].Class => null,
                _ => $"succeeded {succeeded}×, dead-lettered {lettered.Count}× ({string.Join("; ", lettered.Select(l => $"{l.Class}: {l.Message}"))})",
            };
            if (state is not null)
            {
                problems.Add($"job {i} {id} at {jobs[i].Position} (expected {(want is null ? "success" : want.Value.ToWireName() + " dead letter")}): {state}");
            }
        }
        return problems;
    }

    /// <summary>Successes per job id in runners' ledgers.</summary>
    private static Dictionary<string, int> Successes(IReadOnlyList<LedgerEntry> ledger) =>
        ledger.Where(e => e.Event == RunnerLedger.Succeeded).GroupBy(e => e.JobId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static HashSet<string> Ids(IReadOnlyList<LedgerEntry> ledger, string what) =>
        ledger.Where(e => e.Event == what).Select(e => e.JobId).ToHashSet(StringComparer.Ordinal);

    private static int IndexOf(IReadOnlyList<EnqueuedJob> jobs, string id)
    {
        for (var i = 0; i < jobs.Count; i++)
        {
            if (jobs[i].Id == id)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Whether the stand-in answered 200 to call <paramref name="call"/> of a job with <paramref name="answer"/>.</summary>
    private static bool Answered200(string answer, int call) => answer switch
    {
        "ok" => true,
        "retry-once" or "readonly-once" => call > 1,
        _ => false,
    };

    /// <summary>A hand-written event in the <c>mediawiki/job</c> shape, as a foreign producer would write it.</summary>
    private static byte[] RawEvent(string? id, string type, string paramsJson)
    {
        var idMember = id is null ? "" : $"\"id\":\"{id}\",";
        return Encoding.UTF8.GetBytes(
            $$"""{"$schema":"/mediawiki/job/1.0.0","meta":{{{idMember}}"dt":"2026-11-27T12:00:00Z","stream":"mediawiki.job.{{type}}","domain":"e2e.example.org"},"database":"wiki0","type":"{{type}}","params":{{paramsJson}}}""");
    }
}
