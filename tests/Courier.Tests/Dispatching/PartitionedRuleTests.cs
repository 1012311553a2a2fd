using Courier.Testing;
using System.Collections.Concurrent;
using Xunit;

namespace Courier.Tests.Dispatching;

public sealed class PartitionedRuleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DispatcherOptions Options(int perPartition, int retryLimit = 2) => new()
    {
        GroupId = "partitioned-test",
        CommitInterval = TimeSpan.FromMilliseconds(20),
        RetryTiers = [TimeSpan.FromMilliseconds(50)],
        Rules =
        {
            new JobRule
            {
                Type = "refreshLinks",
                Concurrency = perPartition,
                Retry = new RetryPolicy { Limit = retryLimit, Delay = TimeSpan.FromMilliseconds(50), Factor = 1 },
                // The original's map: enwiki is s1 (0), commonswiki s4 (3), everything else the default (2).
                Partition = new PartitionSpec { Map = { ["enwiki"] = 0, ["commonswiki"] = 3 }, Default = 2, Partitions = 8 },
            },
        },
    };

    private static Task<IReadOnlyList<EnqueuedJob>> Enqueue(DispatcherHarness h, string database, IEnumerable<TestParams> jobs) =>
        h.Client.EnqueueBatchAsync(jobs.Select(p => new JobRequest { Type = "refreshLinks", Database = database, Params = p }).ToList(), Ct).AsTask();

    [Fact]
    public async Task PartitionedRule_RoutesByDatabase_AndGivesEachPartitionItsOwnBudget()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var partitionOf = new ConcurrentDictionary<string, int>();
        var running = new ConcurrentDictionary<int, int>();
        var peak = new ConcurrentDictionary<int, int>();
        await using var h = Harness.Sqlite(Options(perPartition: 2), async (job, context, ct) =>
        {
            var p = context.Source.Partition;
            partitionOf[job.Database] = p;
            Assert.Equal("courier.partitioned.mediawiki.job.refreshLinks", context.Source.Topic);
            var now = running.AddOrUpdate(p, 1, (_, n) => n + 1);
            peak.AddOrUpdate(p, now, (_, x) => Math.Max(x, now));
            try
            {
                if (job.Database == "enwiki")
                {
                    await gate.Task.WaitAsync(ct); // enwiki is stuck; other wikis must not wait for it
                }
                return JobResult.Success;
            }
            finally
            {
                running.AddOrUpdate(p, 0, (_, n) => n - 1);
            }
        });
        await Enqueue(h, "enwiki", Enumerable.Range(0, 30).Select(i => new TestParams($"en{i}")));
        var others = (await Enqueue(h, "commonswiki", Enumerable.Range(0, 10).Select(i => new TestParams($"c{i}"))))
            .Concat(await Enqueue(h, "frwiki", Enumerable.Range(0, 10).Select(i => new TestParams($"fr{i}")))).ToList();
        await h.StartAsync();

        await h.WaitUntilAsync(() => others.All(j => h.Succeeded.ContainsKey(j.Id)), "every commonswiki and frwiki job succeeds (none waits behind enwiki's partition)");
        gate.SetResult();
        await h.WaitIdleAsync();

        Assert.Equal(0, partitionOf["enwiki"]);
        Assert.Equal(3, partitionOf["commonswiki"]);
        Assert.Equal(2, partitionOf["frwiki"]);
        Assert.True(peak[0] <= 2, $"partition 0 peaked at {peak[0]}");
        var stats = h.Dispatcher.GetStats().Single();
        Assert.Equal(50, stats.Started); // once per job, not once per hop
        Assert.Equal(50, stats.Partitioned);
        Assert.Equal(50, stats.Succeeded);
        Assert.Equal(0, stats.Pending);
    }

    [Fact]
    public async Task PartitionedRule_DeadLettersWithTheJobTopicAsOrigin_SoAReplayGoesBackThroughThePartitioner()
    {
        await using var h = Harness.Sqlite(Options(perPartition: 2, retryLimit: 1));
        var jobs = await Enqueue(h, "dewiki", [new TestParams("x", FailAttempts: 5)]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        var letter = Assert.Single(await h.ReadDeadLettersAsync());
        Assert.Equal(jobs[0].Id, letter.JobId);
        Assert.Equal(2, letter.Attempts);
        Assert.Equal("mediawiki.job.refreshLinks", letter.OriginTopic);
    }

    [Theory]
    [InlineData("title", 0, "partition.key must be 'database' or a path into params")]
    [InlineData("database", 9, "partition.default 9 is outside the 8 partitions")]
    public void PartitionSpec_RejectsBadKeysAndPartitions(string key, int fallback, string expected)
    {
        var spec = new PartitionSpec { Key = key, Default = fallback, Partitions = 8 };
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => spec.Validate("r")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PartitionSpec_CountsPartitionsFromTheMap_WhenNotGiven() =>
        Assert.Equal(8, new PartitionSpec { Map = { ["wikidatawiki"] = 7 }, Default = 2 }.PartitionCount);
}
