using System.Globalization;
using System.Text;
using Courier.Server.Admin;
using Courier.Server.Admin.Index;
using Courier.Server.Hosting;
using Courier.Server.Tests.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.Server.Tests.Admin;

/// <summary>
/// The dead-letter index on an engine: it follows the error topic, keyset paging visits every dead letter exactly
/// once newest first, and every filter selects what a scan of the log (<see cref="DeadLetterStore"/>) selects.
/// </summary>
public abstract class DeadLetterIndexTests : IAsyncLifetime
{
    private const int Count = 3000;
    private static readonly string[] Types = ["massMessage", "refreshLinks", "htmlCacheUpdate", "cirrusSearch", "recentChanges"];
    private static readonly FailureClass[] Classes = [FailureClass.Permanent, FailureClass.Retryable, FailureClass.Decode];

    private readonly CourierOptions _options = new();
    private IJobLog _log = null!;
    private DeadLetterIndexer _indexer = null!;
    private IndexedDeadLetterBrowser _browser = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The test's directory (the index; the embedded log).</summary>
    private protected TempDirectory Dir { get; } = new();

    /// <summary>The engine's log.</summary>
    private protected abstract IJobLog OpenLog();

    /// <summary>Stops the engine, after the log is closed.</summary>
    private protected virtual void StopEngine()
    {
    }

    public async ValueTask InitializeAsync()
    {
        _log = OpenLog();
        await _log.EnsureTopicAsync(_options.Topics.ErrorTopic, 4, Ct);
        var index = DeadLetterIndex.Open(Dir.File(DeadLetterIndex.FileName), _options.Topics.ErrorTopic);
        _indexer = new DeadLetterIndexer(_log, index, _options.Topics, TimeProvider.System, NullLogger<DeadLetterIndexer>.Instance);
        _browser = new IndexedDeadLetterBrowser(_log, index, _options, _ => null, TimeProvider.System);
        await _indexer.StartAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await _indexer.StopAsync(CancellationToken.None);
        _indexer.Dispose();
        await _log.DisposeAsync();
        StopEngine();
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Paging_VisitsEveryDeadLetterOnceNewestFirst_AndFiltersMatchTheScan()
    {
        var seeded = await SeedAsync();
        await CaughtUpAsync(Count);

        foreach (var limit in (int[])[DeadLetterQuery.MaxLimit, 137])
        {
            var visited = await AllPagesAsync(new DeadLetterQuery { Limit = limit });
            Assert.Equal(Count, visited.Count);
            Assert.Equal(Sorted(seeded), Sorted(visited.Select(e => e.DeadLetter.Position)));
            var keys = visited.Select(e => (e.Timestamp, e.DeadLetter.Position.Partition, e.DeadLetter.Position.Offset)).ToList();
            Assert.Equal(keys.OrderDescending().ToList(), keys);
        }

        var store = new DeadLetterStore(_log, _options);
        var scanned = await store.ListAsync(null, Ct);
        foreach (var query in (DeadLetterQuery[])
        [
            new() { JobType = "refreshLinks" },
            new() { Class = FailureClass.Decode },
            new() { JobType = "cirrusSearch", Class = FailureClass.Retryable },
            new() { JobId = "job-77" },
            new() { Text = "SHARD 3 " },
        ])
        {
            var expected = Sorted(scanned.Where(e => Matches(query, e.DeadLetter)).Select(e => e.DeadLetter.Position));
            var page = await _browser.QueryAsync(query with { Limit = 1 }, Ct);
            var all = await AllPagesAsync(query with { Limit = 200 });
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Count, page.Matching);
            Assert.Equal(expected, Sorted(all.Select(e => e.DeadLetter.Position)));
        }
    }

    [Fact]
    public async Task Replays_AreIndexed_FromTheLedgerAndAtOnce()
    {
        await SeedAsync();
        await CaughtUpAsync(Count);

        // Through the index: marked at once, before the ledger is read back.
        var filter = new DeadLetterFilter("massMessage", FailureClass.Permanent);
        var dry = await _browser.ReplayAsync(filter, null, dryRun: true, Ct);
        var done = await _browser.ReplayAsync(filter, null, dryRun: false, Ct);
        Assert.Equal(dry.Replayed.Select(r => r.DeadLetter.Position), done.Replayed.Select(r => r.DeadLetter.Position));
        Assert.Equal(200, done.Replayed.Count);
        var left = await _browser.QueryAsync(new DeadLetterQuery { JobType = "massMessage", Class = FailureClass.Permanent, Unreplayed = true }, Ct);
        Assert.Equal(0, left.Matching);

        // Through the log (courier dlq replay on another machine): the indexer reads the ledger.
        var scanReplay = await new DeadLetterStore(_log, _options).ReplayAsync(new DeadLetterFilter("refreshLinks"), dryRun: false, Ct);
        Assert.Equal(600, scanReplay.Replayed.Count);
        await Eventually.TrueAsync(async () => (await _browser.QueryAsync(new DeadLetterQuery { Unreplayed = false }, Ct)).Matching == 800,
            "the index read the ledger's 600 replays");

        var again = await _browser.ReplayAsync(new DeadLetterFilter("refreshLinks"), null, dryRun: false, Ct);
        Assert.Empty(again.Replayed);
        Assert.Equal(600, again.AlreadyReplayed);
    }

    [Fact]
    public async Task ConcurrentReplays_ReplayEachDeadLetterOnce()
    {
        await SeedAsync();
        await CaughtUpAsync(Count);
        var filter = new DeadLetterFilter("htmlCacheUpdate", FailureClass.Retryable);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _browser.ReplayAsync(filter, null, dryRun: false, Ct)));

        Assert.Equal(200, results.Sum(r => r.Replayed.Count));
        Assert.Equal(200, (await TopicReader.ReadAllAsync(_log, _options.Topics.JobTopic("htmlCacheUpdate"))).Count);
    }

    private async Task<List<TopicPartitionOffset>> SeedAsync()
    {
        using var producer = _log.CreateProducer();
        var positions = new List<TopicPartitionOffset>();
        for (var start = 0; start < Count; start += 500)
        {
            var batch = Enumerable.Range(start, 500).Select(i =>
            {
                var type = Types[i % Types.Length];
                var record = Support.DeadLetterSeed.Record(_options.Topics, type, Classes[i % Classes.Length],
                    string.Create(CultureInfo.InvariantCulture, $"job-{i}"), Encoding.UTF8.GetBytes("{}"),
                    string.Create(CultureInfo.InvariantCulture, $"key-{i}"), _options.Topics.JobTopic(type),
                    message: string.Create(CultureInfo.InvariantCulture, $"backend shard {i % 7} is down"));
                return record with { Partition = i % 4 };
            }).ToList();
            positions.AddRange(await producer.ProduceAsync(batch, Ct));
        }
        return positions;
    }

    private async Task CaughtUpAsync(int expected)
    {
        DeadLetterPage? last = null;
        await Eventually.TrueAsync(async () =>
        {
            last = await _browser.QueryAsync(new DeadLetterQuery { Limit = 1 }, Ct);
            return last.NotYetIndexed == 0 && last.Matching == expected;
        }, $"the index caught up with {expected} dead letters", state: () => ValueTask.FromResult($"matching {last?.Matching}, not yet indexed {last?.NotYetIndexed}"));
    }

    private async Task<List<DeadLetterEntry>> AllPagesAsync(DeadLetterQuery query)
    {
        var all = new List<DeadLetterEntry>();
        string? cursor = null;
        do
        {
            var page = await _browser.QueryAsync(query with { Cursor = cursor }, Ct);
            Assert.True(page.Items.Count <= query.Limit);
            all.AddRange(page.Items);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    private static List<TopicPartitionOffset> Sorted(IEnumerable<TopicPartitionOffset> positions) =>
        [.. positions.OrderBy(p => p.Partition).ThenBy(p => p.Offset)];

    private static bool Matches(DeadLetterQuery query, DeadLetter d) =>
        (query.JobType is null || d.JobType == query.JobType)
        && (query.Class is null || d.Class == query.Class)
        && (query.JobId is null || d.JobId == query.JobId)
        && (query.Text is null || (d.Message ?? "").Contains(query.Text, StringComparison.OrdinalIgnoreCase));
}

/// <summary>The index on the embedded log.</summary>
public sealed class SqliteDeadLetterIndexTests : DeadLetterIndexTests
{
    private protected override IJobLog OpenLog() => SqliteJobLog.Open(Dir.File("log.db"));
}

/// <summary>The index on Kafka (librdkafka's mock cluster).</summary>
public sealed class KafkaDeadLetterIndexTests : DeadLetterIndexTests
{
    private readonly KafkaDevCluster _cluster = DevClusters.Start();

    private protected override IJobLog OpenLog() => DevClusters.OpenLog(_cluster);

    private protected override void StopEngine() => _cluster.Dispose();
}
