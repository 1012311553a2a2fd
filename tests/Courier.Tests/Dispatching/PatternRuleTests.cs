using Courier.Testing;
using System.Collections.Concurrent;
using Xunit;

namespace Courier.Tests.Dispatching;

public sealed class PatternRuleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DispatcherOptions Options(int perTypeConcurrency, params JobRule[] rules)
    {
        var options = new DispatcherOptions
        {
            GroupId = "pattern-test",
            CommitInterval = TimeSpan.FromMilliseconds(20),
            RetryTiers = [TimeSpan.FromMilliseconds(50)],
            PatternRules =
            {
                new TopicPatternRule
                {
                    Name = "low_traffic_jobs",
                    Pattern = @"^mediawiki\.job\..*",
                    Settings = new JobRule
                    {
                        Type = "*",
                        Concurrency = perTypeConcurrency,
                        Retry = new RetryPolicy { Limit = 2, Delay = TimeSpan.FromMilliseconds(50), Factor = 1 },
                    },
                },
            },
        };
        foreach (var rule in rules)
        {
            options.Rules.Add(rule);
        }
        return options;
    }

    [Fact]
    public async Task PatternRule_PicksUpTopicsThatAppearLater_AndRetriesThem()
    {
        await using var h = Harness.Sqlite(Options(4), patternTypes: ["early", "late"]);
        var early = await h.EnqueueAsync("early", [new TestParams("a"), new TestParams("b", FailAttempts: 1)]);
        await h.StartAsync();
        // This topic does not exist when the dispatcher subscribes.
        var late = await h.EnqueueAsync("late", [new TestParams("c", FailAttempts: 2)]);
        await h.WaitUntilAsync(() => h.Succeeded.Count >= 3, "the early and late jobs succeed");
        await h.WaitIdleAsync();

        Assert.Equal(early.Concat(late).Select(j => j.Id).Order(), h.Succeeded.Keys.Order());
        var stats = h.Dispatcher.GetStats().ToDictionary(s => s.Type);
        Assert.Equal(2, stats["early"].Started);
        Assert.Equal(1, stats["late"].Started);
        Assert.Equal(2, stats["late"].Retried);
        // The rule in force for a type a pattern picked up: the pattern's settings under the type's name.
        Assert.Equal(("late", 4, 2), h.Dispatcher.RuleOf("late") is { } rule ? (rule.Type, rule.Concurrency, rule.Retry.Limit) : default);
        Assert.Null(h.Dispatcher.RuleOf("never-seen"));
    }

    [Fact]
    public async Task PatternRule_GivesEachMatchedTypeItsOwnBudget_SoASpikyTypeCannotStarveTheRest()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new ConcurrentDictionary<string, int>();
        var peak = new ConcurrentDictionary<string, int>();
        await using var h = Harness.Sqlite(Options(2), async (job, context, ct) =>
        {
            var now = running.AddOrUpdate(job.Type, 1, (_, n) => n + 1);
            peak.AddOrUpdate(job.Type, now, (_, p) => Math.Max(p, now));
            try
            {
                if (job.Type == "spiky")
                {
                    await gate.Task.WaitAsync(ct);
                }
                return JobResult.Success;
            }
            finally
            {
                running.AddOrUpdate(job.Type, 0, (_, n) => n - 1);
            }
        }, patternTypes: ["spiky", "quiet"]);
        await h.EnqueueAsync("spiky", Enumerable.Range(0, 200).Select(i => new TestParams($"s{i}")));
        var quiet = await h.EnqueueAsync("quiet", Enumerable.Range(0, 20).Select(i => new TestParams($"q{i}")));
        await h.StartAsync();

        await h.WaitUntilAsync(() => quiet.All(j => h.Succeeded.ContainsKey(j.Id)), "every quiet job succeeds (none starved behind the spiky type)");
        gate.SetResult();
        await h.WaitIdleAsync();

        Assert.Equal(220, h.Succeeded.Count);
        Assert.True(peak["spiky"] <= 2, $"spiky peaked at {peak["spiky"]}");
    }

    [Fact]
    public async Task PatternRule_NeverGovernsATypeWithItsOwnRule()
    {
        var own = new JobRule { Type = "owned", Retry = new RetryPolicy { Limit = 0 } };
        await using var h = Harness.Sqlite(Options(4, own));
        await h.EnqueueAsync("owned", [new TestParams("x", FailAttempts: 1)]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        // The pattern would retry twice; the type's own rule says no retries.
        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(1, letter.Attempts);
        Assert.Single(h.Executions);
    }

    [Fact]
    public void TopicPatternRule_RejectsUnanchoredOrInvalidPatterns()
    {
        Assert.Contains("must start with '^'", Assert.Throws<ArgumentException>(() =>
            new TopicPatternRule { Name = "r", Pattern = "mediawiki.*" }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("not a valid regular expression", Assert.Throws<ArgumentException>(() =>
            new TopicPatternRule { Name = "r", Pattern = "^(" }.Validate()).Message, StringComparison.Ordinal);
    }
}
