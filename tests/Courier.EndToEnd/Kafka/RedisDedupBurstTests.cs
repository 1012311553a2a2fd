using Courier.TestDispatcher;
using Xunit;

namespace Courier.EndToEnd.Kafka;

/// <summary>
/// Two dispatcher processes in one group share one real redis-server as their state store. A burst of duplicate jobs
/// (each job several times over, the copies on different partitions, so in both processes at once) arrives in one
/// batch: each <c>sha1</c> runs once, every other copy ends deduplicated, and nothing is lost.
/// </summary>
public sealed class RedisDedupBurstTests
{
    private const int Distinct = 300;
    private const int Copies = 4;
    private const int Partitions = 8;

    // Long enough that copies of one job are read while its first run is still going (they wait, then are deduplicated).
    private const int WorkMilliseconds = 20;

    [Fact]
    public async Task DuplicateBurstOverPartitions_TwoDispatchersSharingRedis_RunEachSha1Once()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var scenario = KafkaScenario.Start(Partitions);
        using var a = scenario.StartDispatcher("a", redis);
        using var b = scenario.StartDispatcher("b", redis);
        await scenario.WaitReadyAndSplitAsync(a, b);
        var ownedByA = a.Owned;

        // The burst was created a minute ago (a backlog: every copy older than the first run of its sha1, so covered by
        // it) and is produced in one batch once both members own partitions. Produced before they start, it ran on
        // whichever member the group assigned first: the mock holds the rebalance that brings in the second member
        // for about its session timeout (10 s), longer than the burst takes.
        var jobs = await scenario.ProduceCopiesAsync(Distinct, Copies, TimeSpan.FromMinutes(1), index => new TestJobParams(index, WorkMilliseconds));
        var indexOf = jobs.Select((job, n) => (job.Id, Index: n / Copies)).ToDictionary(j => j.Id, j => j.Index, StringComparer.Ordinal);
        scenario.Phase("produced");

        // Done when every record (the copies that waited in the retry tier too) is committed.
        IReadOnlyList<InboxDelivery> deliveries = [];
        await Eventually.TrueAsync(
            async () =>
            {
                Assert.False(a.HasExited || b.HasExited, $"a dispatcher exited. Output:\n{a.Tail()}\n{b.Tail()}");
                deliveries = await KafkaScenario.ReadDeliveriesAsync(a, b);
                return deliveries.Select(d => indexOf[d.JobId]).Distinct().Count() == Distinct && (await scenario.BacklogAsync()).Count == 0;
            },
            "every job ran and every copy was committed",
            TimeSpan.FromSeconds(90),
            async () => $"{deliveries.Count} delivered of {Distinct} distinct jobs; backlog "
                + string.Join(", ", (await scenario.BacklogAsync()).Select(kv => $"{kv.Key}={kv.Value}")) + $"\n{a.Tail(15)}\n{b.Tail(15)}",
            TimeSpan.FromMilliseconds(200));
        scenario.Phase("drained");
        await a.StopAsync(TimeSpan.FromSeconds(30));
        await b.StopAsync(TimeSpan.FromSeconds(30));
        scenario.Phase("stopped");

        deliveries = await KafkaScenario.ReadDeliveriesAsync(a, b);
        var runsTwice = deliveries.GroupBy(d => indexOf[d.JobId]).Where(g => g.Count() > 1)
            .Select(g => $"job {g.Key}: {string.Join(", ", g.Select(d => $"{d.JobId} by {d.Member} from {d.Source}"))}").ToList();
        Assert.True(runsTwice.Count == 0, $"{runsTwice.Count} sha1s ran more than once:\n  " + string.Join("\n  ", runsTwice.Take(10)));
        Assert.Equal(Distinct, deliveries.Count);

        // Every copy is accounted for: the one that ran, or a deduplicated one counted by the process that skipped it.
        var deduplicated = (long)(Deduplicated(a) + Deduplicated(b));
        Assert.True(deliveries.Count + deduplicated == jobs.Count,
            $"{deliveries.Count} delivered + {deduplicated} deduplicated (a {Deduplicated(a)}, b {Deduplicated(b)}) != {jobs.Count} copies produced");

        // The scenario mattered: both processes ran jobs, and copies of one job were on both processes' partitions.
        Assert.Contains(deliveries, d => d.Member == "a");
        Assert.Contains(deliveries, d => d.Member == "b");
        var spread = jobs.Chunk(Copies).Count(copies => copies.Select(c => ownedByA.Contains(c.Position.TopicPartition)).Distinct().Count() == 2);
        Assert.True(spread > 0, $"no job had copies on both members' partitions: a owned {string.Join(", ", ownedByA)}; "
            + $"job 0's copies at {string.Join(", ", jobs.Take(Copies).Select(j => j.Position))}");

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{jobs.Count} copies of {Distinct} jobs over {Partitions} partitions ({spread} jobs with copies on both members): "
            + $"{deliveries.Count} runs (a {deliveries.Count(d => d.Member == "a")}, b {deliveries.Count(d => d.Member == "b")}), "
            + $"{deduplicated} deduplicated (a {Deduplicated(a)}, b {Deduplicated(b)}); without a shared store all "
            + $"{jobs.Count} would have run, {jobs.Count - Distinct} of them repeats.\n{scenario.Phases}");
    }

    private static double Deduplicated(DispatcherProcess member) =>
        member.MetricTotal("courier.jobs.outcomes", "outcome=deduplicated");
}
