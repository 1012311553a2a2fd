using System.Text;
using Courier.EndToEnd.Support;
using Xunit;

namespace Courier.EndToEnd.Reconciliation;

/// <summary>
/// "No loss, proven": thousands of jobs with transient and permanent failures go through a real dispatcher on the
/// embedded log, and every job id is then reconciled to exactly one terminal state from two independent sources —
/// the handlers' ledger (successes) and the error topic read back from offset 0 (dead letters) — and against the
/// dispatcher's own counters.
/// </summary>
public sealed class ReconciliationTests
{
    private const int AlphaJobs = 6_000;
    private const int BetaJobs = 4_000;

    private sealed record Expected(string Type, ScriptedParams Params, int RetryLimit);

    [Fact]
    public async Task Dispatcher_EndsEveryJobInExactlyOneTerminalState_With10000JobsAndMixedFailures()
    {
        var alpha = new JobRule
        {
            Type = "alpha",
            Concurrency = 16,
            Timeout = TimeSpan.FromSeconds(30),
            Retry = new RetryPolicy { Limit = 2, Delay = TimeSpan.FromMilliseconds(50), Factor = 2 },
        };
        var beta = new JobRule
        {
            Type = "beta",
            Concurrency = 4,
            Timeout = TimeSpan.FromSeconds(30),
            Retry = new RetryPolicy { Limit = 3, Delay = TimeSpan.FromMilliseconds(100), Factor = 1.5 },
        };
        var dispatcherOptions = new DispatcherOptions
        {
            GroupId = "e2e-reconcile",
            CommitInterval = TimeSpan.FromMilliseconds(50),
            ShutdownDrainTimeout = TimeSpan.FromSeconds(5),
            // Short tiers only: the rules' own delays (50/100, 100/150/225 ms) are added by the dispatcher.
            RetryTiers = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)],
            Rules = { alpha, beta },
        };
        var ledger = new JobLedger();
        var handler = new ScriptedHandler(ledger);
        await using var courier = new InProcessCourier(dispatcherOptions, new CourierOptions(), registry => registry
            .Add("alpha", handler)
            .Add("beta", handler));

        var plan = Plan(alpha, AlphaJobs).Concat(Plan(beta, BetaJobs)).ToList();
        var requests = plan.Select((e, i) => new JobRequest
        {
            Type = e.Type,
            // Several wikis, so jobs spread over partitions by key.
            Database = $"wiki{i % 7}",
            Params = e.Params,
        }).ToList();

        // Jobs flow while they are enqueued.
        await courier.StartAsync();
        var accepted = await courier.EnqueueAsync(requests);
        Assert.Equal(plan.Count, accepted.Count);
        Assert.Equal(plan.Count, accepted.Select(a => a.Id).Distinct(StringComparer.Ordinal).Count());

        await courier.WaitUntilIdleAsync(TimeSpan.FromSeconds(100));

        var deadLetters = await courier.ReadDeadLettersAsync();
        var lettersById = deadLetters.GroupBy(d => d.JobId ?? "(no job id)", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        // Reconcile every job id: succeeded (exactly one success) XOR dead-lettered (exactly one letter), and the
        // one it must be.
        var problems = new List<string>();
        for (var i = 0; i < plan.Count; i++)
        {
            var id = accepted[i].Id;
            var expected = plan[i];
            var successes = ledger.Successes(id);
            var letters = lettersById.GetValueOrDefault(id) ?? [];
            var problem = Check(expected, id, successes, letters, ledger.Executions(id));
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }
        var strangers = lettersById.Keys.Except(accepted.Select(a => a.Id), StringComparer.Ordinal).ToList();
        if (strangers.Count > 0)
        {
            problems.Add($"dead letters for ids that were never enqueued: {string.Join(", ", strangers.Take(10))}");
        }
        Assert.True(problems.Count == 0,
            $"{problems.Count} of {plan.Count} jobs do not reconcile; first ones:\n  " + string.Join("\n  ", problems.Take(25)));

        // The dispatcher's counters agree with the ledger and the error topic, per type.
        var stats = courier.Dispatcher.GetStats().ToDictionary(s => s.Type, StringComparer.Ordinal);
        foreach (var rule in new[] { alpha, beta })
        {
            var s = stats[rule.Type];
            var mine = plan.Where(e => e.Type == rule.Type).ToList();
            var expectSucceeded = mine.Count(e => e.Params.Behaviour is ScriptedBehaviour.Succeed or ScriptedBehaviour.Transient);
            var expectPermanent = mine.Count(e => e.Params.Behaviour == ScriptedBehaviour.Permanent);
            var expectRetryable = mine.Count(e => e.Params.Behaviour == ScriptedBehaviour.Forever);
            var expectRetries = mine.Sum(e => e.Params.Behaviour switch
            {
                ScriptedBehaviour.Transient => e.Params.Failures,
                ScriptedBehaviour.Forever => rule.Retry.Limit,
                _ => 0,
            });
            var context = InProcessCourier.Describe(s);
            Assert.True(mine.Count == s.Started, $"accepted {mine.Count} {rule.Type} jobs; {context}");
            Assert.True(s.Started == s.Succeeded + s.DeadLettered, $"accepted ≠ succeeded + dead-lettered; {context}");
            Assert.True(expectSucceeded == s.Succeeded, $"expected {expectSucceeded} succeeded; {context}");
            Assert.True(expectPermanent == s.DeadLetteredByClass.GetValueOrDefault(FailureClass.Permanent), $"expected {expectPermanent} permanent; {context}");
            Assert.True(expectRetryable == s.DeadLetteredByClass.GetValueOrDefault(FailureClass.Retryable), $"expected {expectRetryable} retryable; {context}");
            Assert.True(expectRetries == s.Retried, $"expected {expectRetries} retries; {context}");
            Assert.True(0 == s.Ignored && 0 == s.Pending && 0 == s.InFlight, context);
            Assert.True(mine.Count + expectRetries == s.Executions, $"expected {mine.Count + expectRetries} executions; {context}");
        }
        Assert.Equal(stats.Values.Sum(s => s.DeadLettered), deadLetters.Count);
        Assert.Equal(stats.Values.Sum(s => s.Executions), ledger.TotalExecutions);

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{plan.Count} jobs reconciled: {ledger.SucceededCount} succeeded, {deadLetters.Count} dead-lettered "
            + $"({deadLetters.Count(d => d.Class == FailureClass.Permanent)} permanent, {deadLetters.Count(d => d.Class == FailureClass.Retryable)} retryable), "
            + $"{ledger.TotalExecutions} executions. {string.Join("; ", stats.Values.Select(InProcessCourier.Describe))}");
    }

    /// <summary>
    /// The job mix, by index: 70 % succeed at once, 10 % fail once then succeed, 5 % fail up to the retry limit
    /// then succeed, 10 % fail permanently, 5 % never stop failing. Half the failures throw, half return a result;
    /// one job in seven takes a few milliseconds so completions arrive out of offset order.
    /// </summary>
    private static IEnumerable<Expected> Plan(JobRule rule, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var behaviour = (i % 20) switch
            {
                < 14 => ScriptedBehaviour.Succeed,
                14 or 15 or 16 => ScriptedBehaviour.Transient,
                17 or 18 => ScriptedBehaviour.Permanent,
                _ => ScriptedBehaviour.Forever,
            };
            var failures = behaviour == ScriptedBehaviour.Transient ? (i % 20 == 16 ? rule.Retry.Limit : 1) : 0;
            yield return new Expected(rule.Type, new ScriptedParams(behaviour, failures, Throw: i % 40 >= 20, DelayMs: i % 7 == 0 ? 3 : 0), rule.Retry.Limit);
        }
    }

    private static string? Check(Expected expected, string id, int successes, List<DeadLetter> letters, int executions)
    {
        var p = expected.Params;
        var what = $"{id} ({expected.Type}, {p.Behaviour}, failures {p.Failures}, throw {p.Throw})";
        var terminal = new StringBuilder($"{successes} successes, {letters.Count} dead letters, {executions} executions");
        switch (p.Behaviour)
        {
            case ScriptedBehaviour.Succeed or ScriptedBehaviour.Transient:
                var expectedExecutions = p.Behaviour == ScriptedBehaviour.Succeed ? 1 : p.Failures + 1;
                return successes == 1 && letters.Count == 0 && executions == expectedExecutions
                    ? null
                    : $"{what}: expected 1 success after {expectedExecutions} executions, no dead letter; got {terminal}";
            case ScriptedBehaviour.Permanent:
                if (successes != 0 || letters.Count != 1 || executions != 1)
                {
                    return $"{what}: expected exactly one dead letter after 1 execution; got {terminal}";
                }
                var permanent = letters[0];
                return permanent.Class == FailureClass.Permanent && permanent.Attempts == 1
                    && permanent.JobType == expected.Type && permanent.Message?.Contains("scripted permanent failure", StringComparison.Ordinal) == true
                    ? null
                    : $"{what}: expected class permanent, 1 attempt; got {Describe(permanent)}";
            case ScriptedBehaviour.Forever:
                var limit = expected.RetryLimit;
                if (successes != 0 || letters.Count != 1 || executions != limit + 1)
                {
                    return $"{what}: expected exactly one dead letter after {limit + 1} executions; got {terminal}";
                }
                var retryable = letters[0];
                return retryable.Class == FailureClass.Retryable && retryable.Attempts == limit + 1
                    && retryable.JobType == expected.Type && retryable.Message?.Contains($"attempt {limit + 1}", StringComparison.Ordinal) == true
                    ? null
                    : $"{what}: expected class retryable with {limit + 1} attempts; got {Describe(retryable)}";
            default:
                return $"{what}: unknown behaviour";
        }
    }

    private static string Describe(DeadLetter d) =>
        $"class {d.Class?.ToWireName() ?? "?"}, attempts {d.Attempts}, type {d.JobType}, message '{d.Message}'";
}
