using Courier.EndToEnd.Support;
using Courier.TestDispatcher;
using Courier.Testing;
using Xunit;

namespace Courier.EndToEnd.Kafka;

/// <summary>
/// Two dispatcher processes in one consumer group on the mock Kafka cluster share the work: each runs the jobs of the
/// partitions it was assigned, none runs them all, and together they run every job exactly once.
/// </summary>
public sealed class ScaleOutTests
{
    private const int Jobs = 4_000;
    private const int Partitions = 8;

    [Fact]
    public async Task TwoDispatcherProcesses_SplitThePartitions_AndRunEveryJobExactlyOnce()
    {
        await using var scenario = KafkaScenario.Start(Partitions);
        using var a = scenario.StartDispatcher("a");
        using var b = scenario.StartDispatcher("b");
        await a.WaitReadyAsync(TimeSpan.FromSeconds(60));
        await b.WaitReadyAsync(TimeSpan.FromSeconds(60));
        // Jobs are enqueued only once both members own their share, so the split is the group's doing, not a race
        // between one member's start-up and the other's first fetches.
        scenario.Phase("ready");
        await scenario.WaitForSplitAsync(TimeSpan.FromSeconds(60), a, b);
        scenario.Phase("split");
        var ownedA = a.Owned.Where(p => p.Topic == scenario.JobTopic).ToHashSet();
        var ownedB = b.Owned.Where(p => p.Topic == scenario.JobTopic).ToHashSet();

        // A little work per job keeps both members busy at the same time.
        var jobs = await scenario.EnqueueAsync(Enumerable.Range(0, Jobs).Select(i => new TestJobParams(i, WorkMilliseconds: 2)).ToList());

        IReadOnlyList<InboxDelivery> deliveries = [];
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(a.HasExited || b.HasExited, $"a dispatcher exited. Output:\n{a.Tail()}\n{b.Tail()}");
                deliveries = await KafkaScenario.ReadDeliveriesAsync(a, b);
                return deliveries.Select(d => d.JobId).Distinct().Count() >= Jobs;
            },
            "both members together delivered every job",
            TimeSpan.FromSeconds(90),
            async () => $"{deliveries.Select(d => d.JobId).Distinct().Count()} of {Jobs} jobs delivered; backlog "
                + string.Join(", ", (await scenario.BacklogAsync()).Select(kv => $"{kv.Key}={kv.Value}")) + $"\n{a.Tail(15)}\n{b.Tail(15)}",
            TimeSpan.FromMilliseconds(100));
        scenario.Phase("delivered");
        await Eventually.TrueAsync(
            async () => (await scenario.BacklogAsync()).Count == 0,
            "the offsets were committed to the end",
            TimeSpan.FromSeconds(30),
            async () => "offsets not committed to the end: " + string.Join(", ", (await scenario.BacklogAsync()).Select(kv => $"{kv.Key}={kv.Value}")));
        await a.StopAsync(TimeSpan.FromSeconds(30));
        await b.StopAsync(TimeSpan.FromSeconds(30));
        scenario.Phase("stopped");

        // Read again after both stopped: nothing may have run twice while they drained and left.
        deliveries = await KafkaScenario.ReadDeliveriesAsync(a, b);
        var byMember = deliveries.GroupBy(d => d.Member).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var countA = byMember.GetValueOrDefault("a")?.Count ?? 0;
        var countB = byMember.GetValueOrDefault("b")?.Count ?? 0;
        var expected = jobs.Select(j => j.Id).ToHashSet(StringComparer.Ordinal);
        var counts = deliveries.GroupBy(d => d.JobId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        var missing = expected.Where(id => !counts.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {Jobs} jobs never ran, e.g. {string.Join(", ", missing.Take(5))}");
        var twice = counts.Where(kv => kv.Value > 1).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} jobs ran more than once, e.g. {string.Join(", ", twice.Take(5).Select(kv => $"{kv.Key}×{kv.Value}"))}");
        Assert.True(counts.Keys.All(expected.Contains), "a delivery of a job this test did not enqueue");
        Assert.True(countA > 0 && countB > 0, $"one member did all the work: a ran {countA}, b ran {countB}");
        Assert.True(countA < Jobs && countB < Jobs, $"one member ran every job: a {countA}, b {countB}");
        // Each member ran exactly the jobs of the partitions it owned, and the group never moved them meanwhile.
        Assert.All(deliveries, d => Assert.Contains(new TopicPartition(d.Topic, d.Partition), d.Member == "a" ? ownedA : ownedB));
        var perPartition = deliveries.GroupBy(d => d.Partition).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.First().Member}={g.Count()}");
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"a owned [{string.Join(", ", ownedA.OrderBy(p => p.Partition).Select(p => p.Partition))}] and ran {countA} jobs; "
            + $"b owned [{string.Join(", ", ownedB.OrderBy(p => p.Partition).Select(p => p.Partition))}] and ran {countB}; per partition {string.Join(" ", perPartition)}; {scenario.Phases}");
    }
}
