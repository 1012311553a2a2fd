using System.Text;
using Courier.Server.Admin;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Admin;

public sealed class DeadLetterStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly CourierOptions _options = new();
    private SqliteJobLog _log = null!;
    private DeadLetterStore _store = null!;
    private IReadOnlyList<TopicPartitionOffset> _seeded = [];

    public async ValueTask InitializeAsync()
    {
        _log = SqliteJobLog.Open(_dir.File("log.db"));
        _store = new DeadLetterStore(_log, _options);
        _seeded = await DeadLetterSeed.SeedAsync(_log, _options.Topics);
    }

    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task List_FiltersByTypeAndClass()
    {
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(3, (await _store.ListAsync(null, ct)).Count);
        Assert.Equal(2, (await _store.ListAsync(new DeadLetterFilter("massMessage"), ct)).Count);
        var retryable = Assert.Single(await _store.ListAsync(new DeadLetterFilter(Class: FailureClass.Retryable), ct));
        Assert.Equal("mm-2", retryable.DeadLetter.JobId);
        Assert.Equal(3, retryable.DeadLetter.Attempts);
        Assert.Empty(await _store.ListAsync(new DeadLetterFilter("refreshLinks", FailureClass.Permanent), ct));
    }

    [Fact]
    public async Task Get_ReturnsHeadersAndTheOriginalBytes()
    {
        var entry = await _store.GetAsync(_seeded[2], TestContext.Current.CancellationToken);

        Assert.NotNull(entry);
        Assert.Equal(new byte[] { 0x7b, 0xff, 0x00, 0x01 }, entry.DeadLetter.OriginalEvent.ToArray());
        Assert.Equal("enwiki", entry.DeadLetter.Key);
        Assert.Contains(entry.Headers, h => h.Key == CourierHeaders.FailureMessage && Encoding.UTF8.GetString(h.Value) == "not JSON");
        Assert.Null(await _store.GetAsync(_seeded[2] with { Offset = 999 }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task FindByJobId_FindsTheDeadLetterOfAJob()
    {
        var found = Assert.Single(await _store.FindByJobIdAsync("mm-2", TestContext.Current.CancellationToken));

        Assert.Equal(_seeded[1], found.DeadLetter.Position);
    }

    [Fact]
    public async Task Replay_AppendsTheOriginalBytesWithKeyAndReplayOfHeader()
    {
        var result = await _store.ReplayAsync(new DeadLetterFilter("massMessage"), dryRun: false, TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Replayed.Count);
        var copies = await TopicReader.ReadAllAsync(_log, _options.Topics.JobTopic("massMessage"));
        Assert.Equal(2, copies.Count);
        foreach (var replayed in result.Replayed)
        {
            var copy = Assert.Single(copies, c => c.Position == replayed.ReplayedTo);
            Assert.Equal(replayed.DeadLetter.OriginalEvent.ToArray(), copy.Value.ToArray());
            Assert.Equal("metawiki", copy.Key);
            Assert.Equal(LogPosition.Format(replayed.DeadLetter.Position), Encoding.UTF8.GetString(copy.GetHeader(CourierHeaders.ReplayOf)!));
        }
        Assert.Empty(await TopicReader.ReadAllAsync(_log, _options.Topics.JobTopic("refreshLinks")));
    }

    [Fact]
    public async Task Replay_ReplaysEachDeadLetterOnce()
    {
        var ct = TestContext.Current.CancellationToken;

        var first = await _store.ReplayAsync(null, dryRun: false, ct);
        var second = await _store.ReplayAsync(null, dryRun: false, ct);

        Assert.Equal(3, first.Replayed.Count);
        Assert.Empty(second.Replayed);
        Assert.Equal(3, second.AlreadyReplayed);
        Assert.Equal(2, (await TopicReader.ReadAllAsync(_log, _options.Topics.JobTopic("massMessage"))).Count);
        Assert.All(await _store.ListAsync(null, ct), e => Assert.NotNull(e.ReplayedTo));
    }

    [Fact]
    public async Task Replay_WithDryRun_ChangesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var topicsBefore = (await _log.ListTopicsAsync(ct)).Select(t => t.Name).Order().ToList();

        var result = await _store.ReplayAsync(null, dryRun: true, ct);

        Assert.Equal(3, result.Replayed.Count);
        Assert.All(result.Replayed, r => Assert.Null(r.ReplayedTo));
        Assert.Equal(topicsBefore, (await _log.ListTopicsAsync(ct)).Select(t => t.Name).Order().ToList());
        Assert.Equal(3, (await _store.ReplayAsync(null, dryRun: false, ct)).Replayed.Count);
    }

    [Fact]
    public async Task Replay_SkipsDeadLettersThatNameNoTopic()
    {
        using (var producer = _log.CreateProducer())
        {
            await producer.ProduceAsync([DeadLetterSeed.Record(_options.Topics, null, FailureClass.Decode, null, [1, 2, 3], null, null)],
                TestContext.Current.CancellationToken);
        }

        var result = await _store.ReplayAsync(new DeadLetterFilter(Class: FailureClass.Decode), dryRun: false, TestContext.Current.CancellationToken);

        Assert.Single(result.Replayed);
        Assert.Single(result.Unroutable);
    }
}
