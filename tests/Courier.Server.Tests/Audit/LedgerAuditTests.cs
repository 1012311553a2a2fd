using System.Text.Json;
using Courier.Cli;
using Courier.Ledger;
using Courier.Server.Audit;
using Courier.Server.Tests.Support;
using Xunit;

namespace Courier.Server.Tests.Audit;

/// <summary>
/// <see cref="LedgerAudit"/> and <c>courier audit</c> on a log written as a dispatcher with the ledger on would
/// leave it; every engine runs these (<see cref="SqliteLedgerAuditTests"/>, <see cref="KafkaLedgerAuditTests"/>).
/// </summary>
public abstract partial class LedgerAuditTests : IAsyncLifetime
{
    private const string Mm = "massMessage";
    private const string Rl = "refreshLinks";
    private readonly CourierOptions _options = new();
    private AuditLogWriter _writer = null!;

    /// <summary>The log under test, open for the whole test.</summary>
    protected IJobLog Log { get; private set; } = null!;

    /// <summary>The engine options that point <c>courier</c> at <see cref="Log"/>.</summary>
    protected abstract string[] EngineArgs { get; }

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected abstract IJobLog OpenLog();

    protected abstract ValueTask CloseEngineAsync();

    public ValueTask InitializeAsync()
    {
        Log = OpenLog();
        _writer = new AuditLogWriter(Log, _options.Topics);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _writer.Dispose();
        await Log.DisposeAsync();
        await CloseEngineAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// massMessage: a success, an ignored, a dead letter with no entry, a lost job, one in retry, one whose retry was
    /// consumed and then lost, one that succeeded twice, one whose entry names another origin, a probe, and two not
    /// yet reached; refreshLinks: a success and one not yet reached; and a ledger record that is not an entry.
    /// </summary>
    private async Task<Dictionary<string, TopicPartitionOffset>> WriteMixedLogAsync()
    {
        var w = _writer;
        await w.CreateTopicsAsync(ledger: true, Mm, Rl);
        var at = new Dictionary<string, TopicPartitionOffset>();
        async Task Job(string type, string id, bool probe = false) => at[id] = await w.JobAsync(type, id, probe);
        await Job(Mm, "mm-ok");
        await w.EntryAsync(at["mm-ok"], Mm, "mm-ok", LedgerOutcomes.Succeeded);
        await Job(Mm, "mm-ignored");
        await w.EntryAsync(at["mm-ignored"], Mm, "mm-ignored", LedgerOutcomes.Ignored, "permanent");
        await Job(Mm, "mm-dead");
        await w.DeadLetterAsync(at["mm-dead"], Mm, "mm-dead", "permanent");
        await Job(Mm, "mm-lost");
        await Job(Mm, "mm-retry-lost");
        await Job(Mm, "mm-retrying");
        var consumedRetry = await w.RetryAsync(at["mm-retry-lost"], Mm, "mm-retry-lost", attempts: 2);
        await w.RetryAsync(at["mm-retrying"], Mm, "mm-retrying", attempts: 2);
        w.Commit(consumedRetry with { Offset = consumedRetry.Offset + 1 });
        await Job(Mm, "mm-twice");
        await w.EntryAsync(at["mm-twice"], Mm, "mm-twice", LedgerOutcomes.Succeeded, dispatcher: "host-a:1");
        await w.EntryAsync(at["mm-twice"], Mm, "mm-twice", LedgerOutcomes.Succeeded, dispatcher: "host-b:2");
        await Job(Mm, "mm-moved");
        await w.EntryAsync(at["mm-moved"] with { Offset = 999 }, Mm, "mm-moved", LedgerOutcomes.Succeeded);
        await Job(Mm, "probe-1", probe: true);
        w.Commit(at["probe-1"] with { Offset = at["probe-1"].Offset + 1 });
        await Job(Mm, "mm-new");
        await Job(Mm, "mm-newer");
        await w.RawLedgerRecordAsync("not json"u8.ToArray());
        await Job(Rl, "rl-ok");
        await w.EntryAsync(at["rl-ok"], Rl, "rl-ok", LedgerOutcomes.Succeeded);
        await Job(Rl, "rl-pending");
        w.Commit(at["rl-pending"]);
        return at;
    }

    private Task<AuditReport> AuditAsync(AuditRange? range = null) =>
        LedgerAudit.RunAsync(Log, _options, _writer.GroupId, range ?? AuditRange.All, Token);

    private Task<CliResult> CliAsync(params string[] args) => CliRun.RunAsync([.. args, .. EngineArgs], Token);

    [Fact]
    public async Task Audit_PutsEveryAcceptedRecordInExactlyOneBucket()
    {
        var at = await WriteMixedLogAsync();

        var report = await AuditAsync();

        Assert.True(report.Ledger);
        Assert.Equal([Mm, Rl], report.Types.Select(t => t.Type));
        var mm = report.Types[0];
        Assert.Equal(10, mm.Accepted);
        Assert.Equal(2, mm.Terminal[LedgerOutcomes.Succeeded]);
        Assert.Equal(1, mm.Terminal[LedgerOutcomes.Ignored]);
        Assert.Equal(1, mm.Terminal[LedgerOutcomes.DeadLettered]);
        Assert.Equal(new Dictionary<string, long> { ["permanent"] = 1 }, mm.DeadLetteredByClass);
        Assert.Equal(1, mm.MatchedByJobId);
        Assert.Equal(1, mm.InRetry);
        Assert.Equal(2, mm.Pending);
        Assert.Equal(2, mm.Unaccounted);
        Assert.Equal(1, mm.Duplicates);
        Assert.Equal(mm.Accepted, mm.TerminalTotal + mm.MatchedByJobId + mm.InRetry + mm.Pending + mm.Unaccounted);
        var rl = report.Types[1];
        Assert.Equal((2L, 1L, 1L, 0L), (rl.Accepted, rl.Terminal[LedgerOutcomes.Succeeded], rl.Pending, rl.Unaccounted));
        Assert.Equal((12L, 2L), (report.Total.Accepted, report.Total.Unaccounted));

        Assert.Equal([("mm-lost", at["mm-lost"]), ("mm-retry-lost", at["mm-retry-lost"])],
            report.Unaccounted.Select(u => (u.JobId!, u.Position)));
        var duplicate = Assert.Single(report.Duplicates);
        Assert.Equal(("mm-twice", Mm), (duplicate.JobId, duplicate.Type));
        Assert.Equal(["host-a:1", "host-b:2"], duplicate.Successes.Select(s => s.Dispatcher));
        Assert.All(duplicate.Successes, s => Assert.Equal(at["mm-twice"], s.Origin));
        Assert.Equal(1, report.UndecodableEntries);
        Assert.Contains("invalid JSON", Assert.Single(report.UndecodableSamples), StringComparison.Ordinal);
        Assert.False(report.Accounted);
    }

    [Fact]
    public async Task Audit_TakesAnEntryWrittenTwice_ForOneSuccess_NotADuplicate()
    {
        await _writer.CreateTopicsAsync(ledger: true, Mm);
        var once = await _writer.JobAsync(Mm, "written-twice");
        var twice = await _writer.JobAsync(Mm, "ran-twice");
        // A retried ledger write whose first copy had landed: the same entry, byte for byte.
        await _writer.EntryAsync(once, Mm, "written-twice", LedgerOutcomes.Succeeded, dispatcher: "host-a:1");
        await _writer.EntryAsync(once, Mm, "written-twice", LedgerOutcomes.Succeeded, dispatcher: "host-a:1");
        // Two runs: the same job's successes written by two dispatchers.
        await _writer.EntryAsync(twice, Mm, "ran-twice", LedgerOutcomes.Succeeded, dispatcher: "host-a:1");
        await _writer.EntryAsync(twice, Mm, "ran-twice", LedgerOutcomes.Succeeded, dispatcher: "host-b:2");
        _writer.Commit(twice with { Offset = twice.Offset + 1 });

        var report = await AuditAsync();

        var mm = Assert.Single(report.Types);
        Assert.Equal((2L, 2L, 0L), (mm.Accepted, mm.Terminal[LedgerOutcomes.Succeeded], mm.Unaccounted));
        Assert.Equal(1, mm.Duplicates);
        Assert.Equal("ran-twice", Assert.Single(report.Duplicates).JobId);
    }

    [Fact]
    public async Task Audit_CountsOnlyRecordsAppendedInTheRange()
    {
        await _writer.CreateTopicsAsync(ledger: true, Mm);
        var early = await _writer.JobAsync(Mm, "early");
        var earlyAt = (await TopicReader.ReadAllAsync(Log, _options.Topics.JobTopic(Mm))).Single().Timestamp;
        var boundary = earlyAt.AddMilliseconds(1);
        await Eventually.TrueAsync(() => DateTimeOffset.UtcNow > boundary, "the clock passes the first record's time");
        await _writer.JobAsync(Mm, "late");
        var late = (await TopicReader.ReadAllAsync(Log, _options.Topics.JobTopic(Mm))).Single(r => r.Offset == early.Offset + 1);
        Assert.True(late.Timestamp >= boundary, "the second record was appended after the boundary");
        _writer.Commit(early with { Offset = early.Offset + 2 });

        var before = await AuditAsync(new AuditRange(Until: boundary));
        var after = await AuditAsync(new AuditRange(Since: boundary));
        var all = await AuditAsync();

        Assert.Equal(["early"], before.Unaccounted.Select(u => u.JobId));
        Assert.Equal(["late"], after.Unaccounted.Select(u => u.JobId));
        Assert.Equal((1L, 1L, 2L), (before.Total.Accepted, after.Total.Accepted, all.Total.Accepted));
    }

    [Fact]
    public async Task Audit_APartitionedCopyIsPendingUntilItsTopicIsConsumed_ThenNeedsAnOutcome()
    {
        await _writer.CreateTopicsAsync(ledger: true, Mm);
        var waiting = await _writer.JobAsync(Mm, "copy-waiting");
        var consumed = await _writer.JobAsync(Mm, "copy-consumed");
        _writer.Commit(consumed with { Offset = consumed.Offset + 1 });
        var consumedCopy = await _writer.PartitionedCopyAsync(consumed, Mm, "copy-consumed");
        await _writer.PartitionedCopyAsync(waiting, Mm, "copy-waiting");
        _writer.Commit(consumedCopy with { Offset = consumedCopy.Offset + 1 });

        var report = await AuditAsync();

        Assert.Equal((2L, 1L, 1L), (report.Total.Accepted, report.Total.Pending, report.Total.Unaccounted));
        Assert.Equal("copy-consumed", Assert.Single(report.Unaccounted).JobId);
    }

    [Fact]
    public async Task Audit_AJobsLastRetryRecord_ByAttempt_DecidesWhetherItIsInRetry()
    {
        await _writer.CreateTopicsAsync(ledger: true, Mm);
        var later = new RetryTier(TimeSpan.FromMinutes(5));
        await Log.EnsureTopicAsync(_options.Topics.RetryTopic(_options.Topics.JobTopic(Mm), later), 1, Token);
        var moved = await _writer.JobAsync(Mm, "moved-on");
        var stuck = await _writer.JobAsync(Mm, "lost-after-retries");
        _writer.Commit(stuck with { Offset = stuck.Offset + 1 });
        // Written out of time order on purpose (as clocks of two dispatchers can make it look): the attempt decides.
        // moved-on: its third attempt's record waits in the 5-minute tier; its second attempt's record was consumed.
        // lost-after-retries: its third attempt's record was consumed and nothing followed; its second attempt's
        // record, unconsumed in the other tier, does not make it in retry.
        await _writer.RetryAsync(moved, Mm, "moved-on", attempts: 3, later);
        await _writer.RetryAsync(stuck, Mm, "lost-after-retries", attempts: 3);
        var consumed = await _writer.RetryAsync(moved, Mm, "moved-on", attempts: 2);
        await _writer.RetryAsync(stuck, Mm, "lost-after-retries", attempts: 2, later);
        _writer.Commit(consumed with { Offset = consumed.Offset + 1 });

        var report = await AuditAsync();

        Assert.Equal((1L, 1L), (report.Total.InRetry, report.Total.Unaccounted));
        Assert.Equal("lost-after-retries", Assert.Single(report.Unaccounted).JobId);
    }

    [Fact]
    public async Task Audit_ASuccessWinsOverOtherEntries_AndAnEntrysClassOverItsDeadLetters()
    {
        await _writer.CreateTopicsAsync(ledger: true, Mm);
        var twice = await _writer.JobAsync(Mm, "ok-then-superseded");
        var dead = await _writer.JobAsync(Mm, "dead");
        _writer.Commit(dead with { Offset = dead.Offset + 1 });
        await _writer.EntryAsync(twice, Mm, "ok-then-superseded", LedgerOutcomes.Succeeded);
        await _writer.EntryAsync(twice, Mm, "ok-then-superseded", LedgerOutcomes.Superseded);
        await _writer.DeadLetterAsync(dead, Mm, "dead", "decode");
        await _writer.EntryAsync(dead, Mm, "dead", LedgerOutcomes.DeadLettered, "retryable");

        var report = await AuditAsync();

        var total = report.Total;
        Assert.Equal((1L, 0L, 1L), (total.Terminal[LedgerOutcomes.Succeeded], total.Terminal[LedgerOutcomes.Superseded], total.Terminal[LedgerOutcomes.DeadLettered]));
        Assert.Equal(new Dictionary<string, long> { ["retryable"] = 1 }, total.DeadLetteredByClass);
        Assert.True(report.Accounted);
    }

    [Fact]
    public async Task Cli_Json_IsOneObjectOfTheAgreedShape_AndExitsFourOnALoss()
    {
        await WriteMixedLogAsync();

        var result = await CliAsync("audit", "--json");

        Assert.Equal(ExitCodes.CheckFailed, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        Assert.True(root.GetProperty("ledger").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("range").GetProperty("since").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("range").GetProperty("until").ValueKind);
        var mm = root.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("type").GetString() == Mm);
        Assert.Equal(LedgerOutcomes.All, mm.GetProperty("terminal").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, mm.GetProperty("dead_lettered_by_class").GetProperty("permanent").GetInt64());
        foreach (var (name, value) in new[] { ("accepted", 10), ("in_retry", 1), ("pending", 2), ("unaccounted", 2), ("duplicates", 1), ("matched_by_job_id", 1) })
        {
            Assert.Equal(value, mm.GetProperty(name).GetInt64());
        }
        var total = root.GetProperty("total");
        Assert.False(total.TryGetProperty("type", out _));
        Assert.Equal(12, total.GetProperty("accepted").GetInt64());
        var lost = root.GetProperty("unaccounted").EnumerateArray().First();
        Assert.Equal((Mm, _options.Topics.JobTopic(Mm), 0, "mm-lost"),
            (lost.GetProperty("type").GetString(), lost.GetProperty("topic").GetString(), lost.GetProperty("partition").GetInt32(), lost.GetProperty("job_id").GetString()));
        Assert.True(lost.GetProperty("offset").GetInt64() >= 0);
        var duplicate = Assert.Single(root.GetProperty("duplicates").EnumerateArray().ToList());
        Assert.Equal(("mm-twice", Mm), (duplicate.GetProperty("job_id").GetString(), duplicate.GetProperty("type").GetString()));
        Assert.All(duplicate.GetProperty("successes").EnumerateArray(), s =>
        {
            Assert.Equal(_options.Topics.JobTopic(Mm), s.GetProperty("topic").GetString());
            Assert.NotNull(s.GetProperty("dispatcher").GetString());
            Assert.True(s.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UnixEpoch);
        });
        Assert.Equal(1, root.GetProperty("undecodable_entries").GetInt64());
    }

    [Fact]
    public async Task Cli_Table_ListsTheLostJobsAndDuplicates_AndExitsFour()
    {
        var at = await WriteMixedLogAsync();

        var result = await CliAsync("audit");

        Assert.Equal(ExitCodes.CheckFailed, result.ExitCode);
        Assert.Contains("UNACCOUNTED: 2 jobs", result.Out, StringComparison.Ordinal);
        Assert.Contains($"{_options.Topics.JobTopic(Mm)}:0:{at["mm-lost"].Offset}", result.Out, StringComparison.Ordinal);
        Assert.Contains("mm-retry-lost", result.Out, StringComparison.Ordinal);
        Assert.Contains("host-b:2", result.Out, StringComparison.Ordinal);
        Assert.Contains("1 ledger records are not entries", result.Out, StringComparison.Ordinal);
        Assert.Contains("2 of 12 accepted jobs are unaccounted for.", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_List_BoundsTheLostJobsListed_NotTheirCount()
    {
        await WriteMixedLogAsync();

        var one = await CliAsync("audit", "--json", "--list", "1");
        var none = await CliAsync("audit", "--json", "--list", "0");
        var bad = await CliAsync("audit", "--list", "-1");

        Assert.Equal(ExitCodes.CheckFailed, one.ExitCode);
        using (var doc = JsonDocument.Parse(one.Out))
        {
            Assert.Single(doc.RootElement.GetProperty("unaccounted").EnumerateArray());
            Assert.Single(doc.RootElement.GetProperty("duplicates").EnumerateArray());
            Assert.Equal(2, doc.RootElement.GetProperty("total").GetProperty("unaccounted").GetInt64());
        }
        using (var doc = JsonDocument.Parse(none.Out))
        {
            Assert.Empty(doc.RootElement.GetProperty("unaccounted").EnumerateArray());
            Assert.Equal(1, doc.RootElement.GetProperty("total").GetProperty("duplicates").GetInt64());
        }
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("--list must be 0 or more", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_TypeFilter_AuditsOnlyThoseTypes_AndExitsZeroWhenTheyLostNothing()
    {
        await WriteMixedLogAsync();

        var result = await CliAsync("audit", "--type", Rl, "--json");

        Assert.Equal(ExitCodes.Ok, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var type = Assert.Single(doc.RootElement.GetProperty("types").EnumerateArray().ToList());
        Assert.Equal(Rl, type.GetProperty("type").GetString());
        Assert.Equal(2, doc.RootElement.GetProperty("total").GetProperty("accepted").GetInt64());
        Assert.Empty(doc.RootElement.GetProperty("duplicates").EnumerateArray());
    }

    [Fact]
    public async Task Cli_WithoutALedgerTopic_ExitsFive_SayingHowToTurnItOn()
    {
        await _writer.CreateTopicsAsync(ledger: false, Mm);
        var job = await _writer.JobAsync(Mm, "mm-1");
        _writer.Commit(job with { Offset = job.Offset + 1 });

        var result = await CliAsync("audit");

        Assert.Equal(ExitCodes.CheckNoData, result.ExitCode);
        Assert.Contains("no outcome ledger (courier.outcomes): turn on dispatcher.ledger", result.Error, StringComparison.Ordinal);
    }
}
