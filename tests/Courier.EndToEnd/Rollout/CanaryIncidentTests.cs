using Courier.Canaries;
using Courier.EndToEnd.Runners;
using Courier.TestRunner;
using Courier.Testing;
using Xunit;

namespace Courier.EndToEnd.Rollout;

/// <summary>
/// The 2019 incident replayed against Courier's rollout guards: steady traffic of several job types runs on stable
/// runner processes; a new runner release that fails every massMessage job with the 2019 error is deployed as the
/// pool's canary. Asserted by outcome, not by time: the canary is rolled back, the failure never reaches stable, and
/// every job — massMessage included — ends delivered exactly once, none dead-lettered, nothing lost. Written once;
/// <see cref="SqliteCanaryIncidentTests"/> and <see cref="KafkaCanaryIncidentTests"/> run it on each engine.
/// </summary>
public abstract class CanaryIncidentTests
{
    /// <summary>The error every massMessage job hit in April 2019.</summary>
    public const string IncidentError = "Title Special: is invalid";

    private const string StableRelease = "1.34.0-wmf.1";
    private const string BrokenRelease = "1.34.0-wmf.2";
    private const string MassMessage = "massMessage";
    private static readonly string[] Types = ["refreshLinks", "htmlCacheUpdate", MassMessage];
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);

    /// <summary>The engine the scenario runs on; a fresh one per test.</summary>
    protected abstract RunnerEngine CreateEngine();

    [Fact]
    public async Task BrokenRunnerRelease_OnTheCanary_IsRolledBack_AndEveryMassMessageJobIsDeliveredOnceOnStable()
    {
        await using var world = new RunnerWorld(CreateEngine());
        string[] arguments = ["--types", string.Join(',', Types), "--execution-limit-ms", "5000"];
        var stable = world.StartRelease("stable", StableRelease, arguments);
        var canary = world.StartRelease("canary", BrokenRelease,
            [.. arguments, "--broken-type", MassMessage, "--broken-message", IncidentError]);
        var pool = RunnerWorld.Pool(await stable.WaitReadyAsync(ReadyDeadline), TimeSpan.FromSeconds(5));
        pool.Canary = new CanaryOptions
        {
            Urls = [await canary.WaitReadyAsync(ReadyDeadline)],
            // A quarter of every type's jobs, judged by the default gate; never promoted within the test.
            Steps = [25, 100],
            StepAfter = TimeSpan.FromHours(1),
        };
        await world.StartDispatcherAsync(RunnerWorld.Options("canary-incident", [pool],
            [.. Types.Select(t => RunnerWorld.Rule(t, TimeSpan.FromSeconds(10)))]));

        // Steady traffic: a wave of every type until the canary is rolled back.
        var traffic = new Traffic(world, Types);
        await Eventually.TrueAsync(
            async () =>
            {
                await traffic.WaveAsync();
                return world.Dispatcher.GetCanaries().Single().State == CanaryState.RolledBack;
            },
            "the canary release was rolled back",
            TimeSpan.FromSeconds(120),
            () => ValueTask.FromResult($"canary: {world.Dispatcher.GetCanaries().Single()}. {world.Describe()}"),
            interval: TimeSpan.FromMilliseconds(100));
        var rolledBack = world.Dispatcher.GetCanaries().Single();
        Assert.Equal(BrokenRelease, rolledBack.Release);
        Assert.Equal(0, rolledBack.Weight);
        Assert.Contains(rolledBack.TopErrors, e => e.Contains(IncidentError, StringComparison.Ordinal));

        // After the rollback no job reaches the canary: a last wave of every type runs on stable only.
        var after = await traffic.WaveAsync();
        await world.WaitUntilIdleAsync(TimeSpan.FromSeconds(90));

        var onStable = await stable.LedgerAsync();
        var onCanary = await canary.LedgerAsync();
        var failedOnCanary = onCanary.Where(e => e.Event == RunnerLedger.Failed).ToList();
        // The rollback was the judgement of what the canary did: it failed jobs, with the 2019 error and nothing else.
        Assert.True(rolledBack.Verdict.Failing, $"rolled back without a failing verdict: {rolledBack.Verdict}");
        Assert.NotEmpty(failedOnCanary);
        Assert.All(failedOnCanary, e => Assert.Equal(IncidentError, e.Detail));
        // The failure never reached stable: nothing failed there.
        Assert.DoesNotContain(onStable, e => e.Event == RunnerLedger.Failed);
        Assert.DoesNotContain(onCanary, e => after.Contains(e.JobId));

        // Every job ended delivered exactly once; the massMessage jobs the canary failed were delivered on stable.
        var successes = onStable.Concat(onCanary).Where(e => e.Event == RunnerLedger.Succeeded)
            .GroupBy(e => e.JobId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var problems = traffic.Enqueued.Where(id => successes.GetValueOrDefault(id) != 1)
            .Select(id => $"{id}: {successes.GetValueOrDefault(id)} successes").ToList();
        Assert.True(problems.Count == 0, $"{problems.Count} of {traffic.Enqueued.Count} jobs were not delivered exactly once:\n  "
            + string.Join("\n  ", problems.Take(10)) + $"\n{world.Describe()}");
        var stableSuccesses = onStable.Where(e => e.Event == RunnerLedger.Succeeded).Select(e => e.JobId).ToHashSet(StringComparer.Ordinal);
        Assert.All(failedOnCanary, e => Assert.Contains(e.JobId, stableSuccesses));
        Assert.Empty(await world.ReadDeadLettersAsync());

        // Reconciled with the dispatcher's own counts: every job started once and succeeded; each canary failure was
        // held (no attempt spent), none retried as the job's own failure.
        foreach (var type in Types)
        {
            var stats = world.Stats(type);
            Assert.Equal(traffic.CountOf(type), stats.Started);
            Assert.Equal(traffic.CountOf(type), stats.Succeeded);
            Assert.Equal(0, stats.DeadLettered);
        }
        Assert.Equal(failedOnCanary.Count, world.Dispatcher.GetStats().Sum(s => s.Held));
        Assert.All(failedOnCanary, e => Assert.Equal(1, e.Attempt));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"[{world.Engine.Name}] {traffic.Enqueued.Count} jobs in {traffic.Waves} waves; the canary failed {failedOnCanary.Count} massMessage jobs "
            + $"before its rollback ({rolledBack.Verdict.Reason}); every one was delivered on stable.");
    }

    /// <summary>Waves of jobs of every type, remembered for the reconciliation.</summary>
    private sealed class Traffic(RunnerWorld world, IReadOnlyList<string> types)
    {
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
        private int _index;

        public List<string> Enqueued { get; } = [];

        public int Waves { get; private set; }

        public int CountOf(string type) => _counts.GetValueOrDefault(type);

        /// <summary>Enqueues four jobs of each type, on several wikis; returns their ids.</summary>
        public async Task<IReadOnlySet<string>> WaveAsync()
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var type in types)
            {
                var jobs = await world.EnqueueAsync(type, Enumerable.Range(0, 4).Select(_ => (object)new RunnerJobParams(_index++)));
                ids.UnionWith(jobs.Select(j => j.Id));
                _counts[type] = CountOf(type) + jobs.Count;
            }
            Enqueued.AddRange(ids);
            Waves++;
            return ids;
        }
    }
}
