using Courier.Ledger;
using Xunit;

namespace Courier.Testing;

/// <summary>
/// The outcome ledger (<see cref="DispatcherOptions.OutcomeLedger"/>), on every engine: one entry per terminal outcome,
/// at the job's job-topic record, none for retries and probes, durable before the job's offset is committed, and
/// written in batches when outcomes arrive together.
/// </summary>
public abstract partial class DispatcherEngineTests
{
    [Fact]
    public async Task Ledger_JobThatSucceedsOnItsThirdAttempt_HasOneEntry_AtItsJobTopicRecord_WithAttempt3()
    {
        await using var h = CreateHarness(LedgerOn(Rule("alpha", limit: 2)));
        var jobs = await h.EnqueueAsync("alpha", [new TestParams("twice", FailAttempts: 2)]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(2, Stats(h, "alpha").Retried); // two retry records, and no entry for either
        var entry = Assert.Single(await ReadLedgerAsync(h));
        Assert.Equal(jobs[0].Id, entry.JobId);
        Assert.Equal("alpha", entry.Type);
        Assert.Equal(jobs[0].Position, entry.Origin);
        Assert.Equal(LedgerOutcomes.Succeeded, entry.Outcome);
        Assert.Null(entry.Class);
        Assert.Equal(3, entry.Attempt);
        Assert.Equal(h.CourierOptions.Release, entry.Release);
        Assert.Equal($"{Environment.MachineName}:{Environment.ProcessId}", entry.Dispatcher);
        Assert.Null(entry.ReplayOf);
    }

    [Fact]
    public async Task Ledger_IgnoredAndDeadLetteredJobs_AndAnUndecodableRecord_EachHaveOneEntry_WithTheirClass()
    {
        var alpha = Rule("alpha", limit: 3);
        alpha.Ignore.Add(FailureClass.Permanent);
        await using var h = CreateHarness(LedgerOn(alpha, Rule("beta", limit: 3)), partitions: 1);
        var ignored = await h.EnqueueAsync("alpha", [new TestParams("precondition", Fail: "precondition failed")]);
        var lettered = await h.EnqueueAsync("beta", [new TestParams("gone", Fail: "recipient does not exist")]);
        TopicPartitionOffset garbage;
        using (var producer = h.Log.CreateProducer())
        {
            garbage = (await producer.ProduceAsync([new OutgoingRecord(h.JobTopic("beta"), "k", "not an event"u8.ToArray(), Partition: 0)], Ct))[0];
        }
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(2, (await h.ReadDeadLettersAsync()).Count);
        var entries = (await ReadLedgerAsync(h)).ToDictionary(e => e.Key);
        Assert.Equal(3, entries.Count);
        var ignoredEntry = entries[ignored[0].Id];
        Assert.Equal((LedgerOutcomes.Ignored, "permanent", 1, ignored[0].Position),
            (ignoredEntry.Outcome, ignoredEntry.Class, ignoredEntry.Attempt, ignoredEntry.Origin));
        var letterEntry = entries[lettered[0].Id];
        Assert.Equal((LedgerOutcomes.DeadLettered, "permanent", 1, lettered[0].Position),
            (letterEntry.Outcome, letterEntry.Class, letterEntry.Attempt, letterEntry.Origin));
        // No job id to key it by: its position is the key.
        var garbageEntry = entries[$"{garbage.Topic}:{garbage.Partition}:{garbage.Offset}"];
        Assert.Null(garbageEntry.JobId);
        Assert.Equal((LedgerOutcomes.DeadLettered, "decode", "beta", garbage),
            (garbageEntry.Outcome, garbageEntry.Class, garbageEntry.Type, garbageEntry.Origin));
    }

    [Fact]
    public async Task Ledger_PartitionedRulesJobs_HaveTheirJobTopicRecordAsOrigin_NotThePartitionedCopy()
    {
        var rule = Rule("alpha");
        rule.Partition = new PartitionSpec { Key = "database", Partitions = 2 };
        await using var h = CreateHarness(LedgerOn(rule));
        var jobs = await h.EnqueueAsync("alpha", Enumerable.Range(0, 6).Select(i => new TestParams($"p{i}")), i => $"wiki{i}");
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(6, Stats(h, "alpha").Partitioned); // each went through the partitioned topic
        var entries = await ReadLedgerAsync(h);
        Assert.Equal(jobs.Select(j => (j.Id, j.Position)).OrderBy(j => j.Id, StringComparer.Ordinal),
            entries.Select(e => (Id: e.JobId!, e.Origin)).OrderBy(e => e.Id, StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal((LedgerOutcomes.Succeeded, 1), (e.Outcome, e.Attempt)));
    }

    [Fact]
    public async Task Ledger_DeduplicatedJobs_HaveEntriesOfTheirOwn()
    {
        await using var h = CreateHarness(LedgerOn(Rule("alpha", concurrency: 1)), partitions: 1, time: MinuteAhead());
        Assert.SkipWhen(h.StateStore is null, NoStore);
        var jobs = await h.Client.EnqueueBatchAsync([Same("alpha"), Same("alpha"), Same("alpha")], Ct);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(2, Stats(h, "alpha").Deduplicated);
        var entries = (await ReadLedgerAsync(h)).ToDictionary(e => e.JobId!);
        Assert.Equal(LedgerOutcomes.Succeeded, entries[jobs[0].Id].Outcome);
        foreach (var job in jobs.Skip(1))
        {
            Assert.Equal((LedgerOutcomes.Deduplicated, job.Position, (string?)null), (entries[job.Id].Outcome, entries[job.Id].Origin, entries[job.Id].Class));
        }
        Assert.Equal(3, entries.Count);
    }

    [Fact]
    public async Task Ledger_CancelledPendingJob_HasACancelledEntry()
    {
        await using var h = CreateHarness(LedgerOn(Rule("alpha")));
        await h.StartAsync();
        h.Dispatcher.Pause("alpha", "holding the jobs to cancel one");
        var jobs = await h.EnqueueAsync("alpha", Enumerable.Range(0, 3).Select(i => new TestParams($"a{i}")));
        await h.Dispatcher.CancelAsync(jobs[1].Id, "wrong page", "ops@example", Ct);
        h.Dispatcher.Resume("alpha");
        await h.WaitIdleAsync();

        Assert.Equal(1, Stats(h, "alpha").Cancelled);
        var entries = (await ReadLedgerAsync(h)).ToDictionary(e => e.JobId!);
        Assert.Equal([LedgerOutcomes.Succeeded, LedgerOutcomes.Cancelled, LedgerOutcomes.Succeeded], jobs.Select(j => entries[j.Id].Outcome));
        Assert.Equal(jobs[1].Position, entries[jobs[1].Id].Origin);
    }

    [Fact]
    public async Task Ledger_ProbesWriteNoEntry()
    {
        await using var h = CreateHarness(LedgerOn(Probed(Rule("alpha"), """{"name":"probe"}""")));
        await h.StartAsync();
        await h.WaitUntilAsync(() => ProbeOf(h, "alpha").Succeeded >= 2, "two of alpha's probes succeeded");
        var jobs = await h.EnqueueAsync("alpha", [new TestParams("real")]);
        // Counted once its entry is durable.
        await h.WaitUntilAsync(() => Stats(h, "alpha").Succeeded == 1, "the real job succeeded");

        Assert.True(ProbeOf(h, "alpha").Succeeded >= 2);
        Assert.Equal(jobs[0].Id, Assert.Single(await ReadLedgerAsync(h)).JobId);
    }

    [Fact]
    public async Task Ledger_Off_CreatesNoTopic_AndWritesNothing()
    {
        var options = Options(Rule("alpha"));
        Assert.False(options.OutcomeLedger); // off unless asked for
        await using var h = CreateHarness(options);
        await h.EnqueueAsync("alpha", [new TestParams("x")]);
        await h.StartAsync();
        await h.WaitIdleAsync();

        Assert.Equal(1, Stats(h, "alpha").Succeeded);
        Assert.DoesNotContain(await h.Log.ListTopicsAsync(Ct), t => t.Name == h.CourierOptions.Topics.OutcomeLedgerTopic);
    }

    [Fact]
    public async Task Ledger_EntryIsDurableBeforeTheJobsOffsetIsCommitted()
    {
        await using var h = CreateHarness(LedgerOn(Rule("alpha", limit: 2)), partitions: 2);
        var topic = h.JobTopic("alpha");
        var heldPartition = new TopicPartition(topic, 0);
        var witness = new TopicPartition(topic, 1);
        await h.Log.EnsureTopicAsync(topic, 2, Ct);
        var held = new HoldingJobLog(h.Log, h.CourierOptions.Topics.OutcomeLedgerTopic);
        var peerOptions = LedgerOn(Rule("alpha", limit: 2));
        peerOptions.GroupId = h.Options.GroupId; // the group whose commits are read below (an engine's harness may make it unique)
        var dispatcher = h.CreatePeer(peerOptions, held);
        await h.ProduceJobsAsync("alpha", 0, [new TestParams("held")]);
        await dispatcher.StartAsync(Ct);
        await held.FirstHeld.WaitAsync(Ct);
        Assert.Single(h.Succeeded); // it ran; its entry is on its way to the log and held there

        // A witness on the other partition whose first attempt fails: its offset completes once its retry record is
        // durable, which no ledger write holds up. Once that offset is committed, a commit has been made since the held
        // job ran, and it must still stop before the held job.
        await h.ProduceJobsAsync("alpha", 1, [new TestParams("witness", FailAttempts: 1)]);
        await h.WaitUntilAsync(async () => (await h.Log.GetCommittedOffsetsAsync(h.Options.GroupId, [witness], Ct)).GetValueOrDefault(witness) == 1,
            "the witness's job-topic offset is committed");
        var committed = await h.Log.GetCommittedOffsetsAsync(h.Options.GroupId, [heldPartition], Ct);
        Assert.True(!committed.TryGetValue(heldPartition, out var offset) || offset == 0, $"committed {offset} before the job's entry was durable");

        held.Release();
        await h.WaitUntilAsync(async () => (await h.Log.GetCommittedOffsetsAsync(h.Options.GroupId, [heldPartition], Ct)).GetValueOrDefault(heldPartition) == 1,
            "the held job's offset is committed once its entry is durable");
        await DispatcherIdle.WaitAsync(dispatcher);
        Assert.Equal(["held", "witness"], (await ReadLedgerAsync(h)).Select(e => e.Origin.Partition == 0 ? "held" : "witness").Order());
    }

    [Fact]
    public async Task Ledger_OutcomesThatArriveTogether_AreWrittenInFewerCallsThanEntries()
    {
        const int jobs = 16;
        await using var h = CreateHarness(LedgerOn(Rule("alpha", concurrency: jobs)), partitions: 1);
        var held = new HoldingJobLog(h.Log, h.CourierOptions.Topics.OutcomeLedgerTopic);
        var dispatcher = h.CreatePeer(LedgerOn(Rule("alpha", concurrency: jobs)), held);
        var enqueued = await h.EnqueueAsync("alpha", Enumerable.Range(0, jobs).Select(i => new TestParams($"b{i}")));
        await dispatcher.StartAsync(Ct);

        // The first entry's write is held; every other job runs meanwhile, and its entry waits for the next batch.
        await held.FirstHeld.WaitAsync(Ct);
        await h.WaitUntilAsync(() => h.Succeeded.Count == jobs, "every job ran while the first entry was held");
        held.Release();
        await DispatcherIdle.WaitAsync(dispatcher);

        var entries = await ReadLedgerAsync(h);
        Assert.Equal(enqueued.Select(j => j.Id).Order(), entries.Select(e => e.JobId!).Order());
        Assert.Equal(jobs, held.Records);
        Assert.True(held.Calls < jobs, $"{held.Calls} ledger writes for {jobs} entries");
    }

    private static DispatcherOptions LedgerOn(params JobRule[] rules)
    {
        var options = Options(rules);
        options.OutcomeLedger = true;
        return options;
    }

    /// <summary>Every entry of the ledger topic, each checked to be keyed by its <see cref="LedgerEntry.Key"/>.</summary>
    private static async Task<IReadOnlyList<LedgerEntry>> ReadLedgerAsync(DispatcherHarness h) =>
        (await TopicReader.ReadAllAsync(h.Log, h.CourierOptions.Topics.OutcomeLedgerTopic)).Select(record =>
        {
            Assert.True(LedgerEntryCodec.TryDecode(record.Value.Span, out var entry, out var error), error);
            Assert.Equal(entry.Key, record.Key);
            return entry;
        }).ToList();
}
