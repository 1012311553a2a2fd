using System.Text.Json;
using Courier.EndToEnd.Support;
using Courier.Server.Admin;
using Courier.Server.Contracts;
using Courier.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Courier.EndToEnd.Incident;

/// <summary>
/// The 2019 job queue incident, replayed (docs/original-system.md, "The April 2019 incident"; docs/contracts.md "The
/// 2019 incident, as a test"). Version 1 of massMessage carries its page as the event's top-level
/// <c>page_namespace</c>/<c>page_title</c>; version 2 moves the title into params as the prefixed text only, so the
/// namespace is gone. (a) the compatibility checker refuses version 2 and names <c>params.title</c>; (b) decoding
/// with version 1's contract refuses every version 2 event; (c) deployed anyway, every version 2 job is
/// dead-lettered as <c>decode</c> with the exact reason — none retried, none dropped, counted; (d) after the fix,
/// replaying the decode dead letters delivers every message exactly once.
/// </summary>
public sealed class IncidentTests
{
    private const string JobType = IncidentSchemas.JobType;
    private const string GroupId = "massmessage-runners";
    private const int Partitions = 4;
    private const int Version2Jobs = 60;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void SchemaCheck_RejectsVersion2_NamingParamsTitleAndTheRule()
    {
        var history = IncidentSchemas.Both().GetVersions(JobType)
            .Select(s => KeyValuePair.Create(s.Version, s.Document))
            .ToList();
        Assert.Equal(2, history.Count);

        var violations = SchemaCompatibilityChecker.CheckHistory(JobType, history, CompatibilityMode.FullTransitive);

        var report = string.Join("\n", violations);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        Assert.NotEmpty(violations);
        Assert.All(violations, v =>
        {
            Assert.Equal(new ParamsSchemaVersion(1, 0, 0), v.OldVersion);
            Assert.Equal(new ParamsSchemaVersion(2, 0, 0), v.NewVersion);
            Assert.Equal("params.title", v.Path);
            Assert.Equal(SchemaCompatibilityRules.PropertyAddedRequired, v.Rule);
        });
        // The incident's direction: readers still on 1.0.0 refuse what 2.0.0 writes.
        Assert.Contains(violations, v => v.Direction == CompatibilityDirection.Forward);
        Assert.Contains("massMessage 1.0.0→2.0.0 FULL_TRANSITIVE: params.title: property-added-required", report, StringComparison.Ordinal);
    }

    // (b) The contract check before deploy: version 2 events, recorded into a golden corpus and verified with what
    // `courier contract verify` runs (ContractVerifier: codec, params contract, converters, handler binding) against a
    // version 1 build, all fail, naming params. The command itself is tested in Courier.Server.Tests
    // (ContractCommandTests.Verify_FailsNamingEachEvent_ThatNoLongerDecodes).
    [Fact]
    public async Task Version1Contract_RefusesEveryVersion2Event_NamingParams()
    {
        var both = IncidentSchemas.Both();
        var version1 = IncidentSchemas.Version1Only();
        var producerOptions = new CourierOptions { ParamsSchemas = both };
        var readerOptions = new CourierOptions { ParamsSchemas = version1, RequireParamsVersion = true };
        await using var engine = IncidentEngine.Open(IncidentEngine.Sqlite);
        using var telemetry = new CourierTelemetry();
        using var producer = new CourierClient(engine.Log, producerOptions, telemetry, TimeProvider.System);
        var writer = new JobEventCodec(producerOptions);
        var reader = new JobEventCodec(readerOptions);

        var problems = new List<string>();
        var recorded = new List<ReadOnlyMemory<byte>>();
        foreach (var message in Enumerable.Range(0, 20).Select(i => PlannedMessage.Create(i, version: 2)))
        {
            var bytes = writer.Encode(producer.BuildEvent(new JobRequest { Type = JobType, Database = PlannedMessage.Database, Params = message.V2Params }));
            recorded.Add(bytes.ToArray());
            var decoded = reader.Decode(bytes);
            Assert.True(decoded.Success, decoded.Error);
            var e = decoded.Event!;
            Assert.Equal("2.0.0", e.Meta.ParamsVersion);
            Assert.Null(e.PageNamespace);

            // As written: version 2 is unknown to a version 1 reader.
            var asWritten = version1.Check(e.Type, e.Meta.ParamsVersion, e.Params, readerOptions.RequireParamsSchemas, readerOptions.RequireParamsVersion);
            if (asWritten.Outcome != ParamsCheckOutcome.UnknownVersion
                || asWritten.Error?.Contains("params schema version 2.0.0", StringComparison.Ordinal) != true)
            {
                problems.Add($"{message.Index} as written: {asWritten.Outcome}: {asWritten.Error}");
            }

            // Read as version 1 (a producer that kept the old label, or MediaWiki's unversioned events checked
            // against 1.0.0): the title is a field version 1's closed model does not have.
            var asVersion1 = version1.Check(e.Type, "1.0.0", e.Params);
            if (asVersion1.Outcome != ParamsCheckOutcome.Mismatch
                || !asVersion1.Violations.Any(v => v.Path == "params.title" && v.Rule == "additionalProperties")
                || asVersion1.Error?.Contains("params.title", StringComparison.Ordinal) != true)
            {
                problems.Add($"{message.Index} as 1.0.0: {asVersion1.Outcome}: {asVersion1.Error}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        using var corpus = new TempDirectory();
        EventCorpus.Record(corpus.Path, recorded, writer, perVersion: recorded.Count);
        var version1Build = new ContractVerifier(readerOptions,
            new JobHandlerRegistry(readerOptions).Add(JobType, new MassMessageHandlerV1(new MassMessageInbox())));
        var verdicts = EventCorpus.Load(corpus.Path).Select(e => (Event: e, Verdict: version1Build.Verify(e.Bytes.Span))).ToList();
        Assert.Equal(recorded.Count, verdicts.Count);
        Assert.All(verdicts, v =>
        {
            Assert.False(v.Verdict.Success, v.Event.Path);
            Assert.Equal("unknown_version", v.Verdict.Reason);
            Assert.Contains("params schema version 2.0.0", v.Verdict.Error, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(IncidentEngine.Sqlite)]
    [InlineData(IncidentEngine.Kafka)]
    public async Task Version2DeployedAnyway_IsDeadLetteredAsDecode_AndTheFixPlusReplayDeliversEveryMessageOnce(string engineName)
    {
        await using var engine = IncidentEngine.Open(engineName);
        var log = engine.Log;
        using var meter = new DecodeFailureMeter();
        var inbox = new MassMessageInbox();
        var topics = new CourierOptions().Topics;
        var jobTopic = topics.JobTopic(JobType);
        var retryTier = TimeSpan.FromMilliseconds(100);
        var retryTopic = topics.RetryTopic(jobTopic, new RetryTier(retryTier));
        foreach (var topic in new[] { jobTopic, retryTopic, topics.ErrorTopic })
        {
            await log.EnsureTopicAsync(topic, Partitions, Ct);
        }

        // The running build knows version 1 only.
        var oldOptions = ReaderOptions(IncidentSchemas.Version1Only());
        var oldBuild = StartBuild(log, oldOptions, new JobHandlerRegistry(oldOptions).Add(JobType, new MassMessageHandlerV1(inbox)), retryTier);
        await oldBuild.Dispatcher.StartAsync(Ct);

        // Producers: version 1 traffic, then version 2 shipped anyway, while version 1 producers keep writing.
        var plan = new List<PlannedMessage>();
        var ids = new Dictionary<string, PlannedMessage>(StringComparer.Ordinal);
        async Task SendAsync(int count, int version)
        {
            var messages = Enumerable.Range(plan.Count, count).Select(i => PlannedMessage.Create(i, version)).ToList();
            plan.AddRange(messages);
            var sent = version == 1 ? await ProduceVersion1Async(log, messages) : await ProduceVersion2Async(log, messages);
            foreach (var (id, message) in sent.Zip(messages))
            {
                ids.Add(id, message);
            }
        }
        await SendAsync(20, version: 1);
        await SendAsync(Version2Jobs, version: 2);
        await SendAsync(20, version: 1);
        var version2Ids = ids.Where(p => p.Value.Version == 2).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(Version2Jobs, version2Ids.Count);
        await WaitIdleAsync(oldBuild.Dispatcher);

        // (c) Every version 2 job is dead-lettered once, as decode, with the exact reason; nothing else is.
        var expectedReason = IncidentSchemas.Version1Only().Check(JobType, "2.0.0", JsonSerializer.SerializeToElement(new { }), requireVersion: true).Error;
        Assert.Equal($"job type '{JobType}' has no params schema version 2.0.0; known versions: 1.0.0", expectedReason);
        var letters = await TopicReader.ReadDeadLettersAsync(log, oldOptions);
        var problems = new List<string>();
        foreach (var id in version2Ids)
        {
            var mine = letters.Where(l => l.JobId == id).ToList();
            if (mine is not [var letter])
            {
                problems.Add($"{id}: {mine.Count} dead letters");
            }
            else if (letter.Class != FailureClass.Decode || letter.Message != expectedReason || letter.Attempts != 1
                || letter.OriginTopic != jobTopic || letter.JobType != JobType)
            {
                problems.Add($"{id}: class {letter.Class?.ToWireName()}, attempts {letter.Attempts}, origin {letter.OriginTopic}, '{letter.Message}'");
            }
        }
        problems.AddRange(letters.Where(l => l.JobId is null || !version2Ids.Contains(l.JobId))
            .Select(l => $"unexpected dead letter {l.JobId}: [{l.Class?.ToWireName()}] {l.Message}"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // None retried: no retry record was ever written, and the counters agree.
        Assert.Empty(await TopicReader.ReadAllAsync(log, retryTopic));
        var before = oldBuild.Dispatcher.GetStats().Single(s => s.Type == JobType);
        var beforeText = InProcessCourier.Describe(before);
        Assert.True(before.Started == plan.Count, beforeText);
        Assert.True(before.Succeeded == plan.Count - Version2Jobs, beforeText);
        Assert.True(before.DeadLetteredByClass.GetValueOrDefault(FailureClass.Decode) == Version2Jobs && before.DeadLettered == Version2Jobs, beforeText);
        Assert.True(before.Retried == 0 && before.Pending == 0 && before.Replayed == 0, beforeText);
        var decodeMetric = meter.Snapshot();
        Assert.Equal(Version2Jobs, decodeMetric.GetValueOrDefault((JobType, "unknown_version")));
        Assert.Equal(Version2Jobs, decodeMetric.Values.Sum());

        // None dropped: every job id is delivered (the version 1 ones, once, to the right page) or dead-lettered.
        var delivered = inbox.CountsById();
        var deadLettered = letters.Select(l => l.JobId!).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(ids.Count, delivered.Count + deadLettered.Count);
        Assert.All(ids, p => Assert.True(
            p.Value.Version == 1 ? delivered.GetValueOrDefault(p.Key) == 1 && !deadLettered.Contains(p.Key) : !delivered.ContainsKey(p.Key) && deadLettered.Contains(p.Key),
            $"{p.Key} (version {p.Value.Version}): delivered {delivered.GetValueOrDefault(p.Key)}×, dead-lettered {deadLettered.Contains(p.Key)}"));
        TestContext.Current.TestOutputHelper?.WriteLine($"{engineName}, version 2 deployed anyway: {beforeText}; decode reason: {expectedReason}");

        // (d) The fix: a new build of the dispatchers reads both shapes, in the same group (it resumes where the old
        // build committed), then the decode dead letters are replayed.
        await oldBuild.DisposeAsync();
        var fixedOptions = ReaderOptions(IncidentSchemas.Both());
        var fixedBuild = StartBuild(log, fixedOptions, IncidentFix.Handlers(fixedOptions, inbox), retryTier);
        await using (fixedBuild)
        {
            await fixedBuild.Dispatcher.StartAsync(Ct);
            await SendAsync(10, version: 1);
            await SendAsync(10, version: 2);

            var store = new DeadLetterStore(log, fixedOptions);
            var decodeOnly = new DeadLetterFilter(JobType, FailureClass.Decode);
            var dryRun = await store.ReplayAsync(decodeOnly, dryRun: true, Ct);
            Assert.Equal(Version2Jobs, dryRun.Replayed.Count);
            var replay = await store.ReplayAsync(decodeOnly, cancellationToken: Ct);
            Assert.Equal(version2Ids.Order(StringComparer.Ordinal), replay.Replayed.Select(r => r.DeadLetter.JobId!).Order(StringComparer.Ordinal));
            Assert.All(replay.Replayed, r => Assert.Equal(jobTopic, r.TargetTopic));
            Assert.Empty(replay.Unroutable);
            // The replay ledger: running the command again replays nothing twice.
            var again = await store.ReplayAsync(decodeOnly, cancellationToken: Ct);
            Assert.Empty(again.Replayed);
            Assert.Equal(Version2Jobs, again.AlreadyReplayed);

            await Eventually.TrueAsync(
                () => ValueTask.FromResult(inbox.CountsById().Count == ids.Count),
                "the fixed build delivered every message",
                Deadline,
                () => ValueTask.FromResult($"{inbox.CountsById().Count} of {ids.Count} messages delivered; "
                    + InProcessCourier.Describe(fixedBuild.Dispatcher.GetStats().Single(s => s.Type == JobType))));
            await WaitIdleAsync(fixedBuild.Dispatcher);

            // Messages sent = messages delivered, each exactly once, each to the page its sender meant.
            var deliveries = inbox.Snapshot();
            Assert.Equal(ids.Count, deliveries.Count);
            var wrong = deliveries.Where(d => !ids.TryGetValue(d.JobId, out var m)
                    || (d.Namespace, d.DbKey, d.Recipient, d.Message) != (m.Namespace, m.DbKey, m.Recipient, m.Message))
                .Select(d => $"{d.JobId}: delivered to {d.Namespace}:{d.DbKey} for {d.Recipient}; meant "
                    + (ids.TryGetValue(d.JobId, out var m) ? $"{m.Namespace}:{m.DbKey} for {m.Recipient} (version {m.Version})" : "nothing (never sent)"))
                .ToList();
            Assert.True(wrong.Count == 0, string.Join("\n", wrong));
            Assert.All(inbox.CountsById(), c => Assert.Equal(1, c.Value));

            var after = fixedBuild.Dispatcher.GetStats().Single(s => s.Type == JobType);
            var afterText = InProcessCourier.Describe(after);
            Assert.True(after.Replayed == Version2Jobs, afterText);
            Assert.True(after.Started == Version2Jobs + 20 && after.Succeeded == after.Started, afterText);
            Assert.True(after.DeadLettered == 0 && after.Retried == 0 && after.Pending == 0, afterText);
            Assert.Equal(Version2Jobs, (await TopicReader.ReadDeadLettersAsync(log, fixedOptions)).Count);
            Assert.Equal(Version2Jobs, meter.Snapshot().Values.Sum());
            TestContext.Current.TestOutputHelper?.WriteLine($"{engineName}, after the fix and the replay: {afterText}; "
                + $"{ids.Count} messages sent, {deliveries.Count} delivered");
        }
    }

    private static CourierOptions ReaderOptions(ParamsSchemaRegistry schemas) => new()
    {
        DefaultPartitions = Partitions,
        ParamsSchemas = schemas,
        RequireParamsSchemas = true,
        RequireParamsVersion = true,
    };

    private static DispatcherBuild StartBuild(IJobLog log, CourierOptions options, JobHandlerRegistry handlers, TimeSpan retryTier)
    {
        var dispatcherOptions = new DispatcherOptions
        {
            GroupId = GroupId,
            CommitInterval = TimeSpan.FromMilliseconds(50),
            ShutdownDrainTimeout = TimeSpan.FromSeconds(5),
            RetryTiers = [retryTier],
            Rules =
            {
                new JobRule
                {
                    Type = JobType,
                    Concurrency = 8,
                    Timeout = TimeSpan.FromSeconds(10),
                    Retry = new RetryPolicy { Limit = 2, Delay = TimeSpan.FromMilliseconds(50) },
                    // Off: this scenario is the dead-letter-and-replay path; with the breaker on, its decode failures
                    // past the 20th would be held for the fix instead of dead-lettered.
                    Breaker = BreakerPolicy.Off,
                },
            },
        };
        var telemetry = new CourierTelemetry();
        return new DispatcherBuild(new Dispatcher(log, new InProcessExecutor(handlers), dispatcherOptions, options, telemetry,
            NullLogger<Dispatcher>.Instance, TimeProvider.System), telemetry);
    }

    /// <summary>
    /// Version 1 producers, as EventBus wrote jobs before the change: params checked against 1.0.0 by the client, the
    /// page as top-level <c>page_namespace</c> and prefixed <c>page_title</c> (which the client has no field for, so
    /// the events are encoded here and appended as they are).
    /// </summary>
    private static async Task<IReadOnlyList<string>> ProduceVersion1Async(IJobLog log, IReadOnlyList<PlannedMessage> messages)
    {
        var options = new CourierOptions { ParamsSchemas = IncidentSchemas.Version1Only() };
        using var telemetry = new CourierTelemetry();
        using var client = new CourierClient(log, options, telemetry, TimeProvider.System);
        var codec = new JobEventCodec(options);
        var records = new List<OutgoingRecord>();
        var ids = new List<string>();
        foreach (var message in messages)
        {
            var built = client.BuildEvent(new JobRequest { Type = JobType, Database = PlannedMessage.Database, Params = message.V1Params });
            Assert.Equal("1.0.0", built.Meta.ParamsVersion);
            var withPage = new JobEvent
            {
                Schema = built.Schema,
                Meta = built.Meta,
                Database = built.Database,
                Type = built.Type,
                Params = built.Params,
                PageNamespace = message.Namespace,
                PageTitle = message.PrefixedTitle,
            };
            records.Add(new OutgoingRecord(options.Topics.JobTopic(JobType), built.Database, codec.Encode(withPage)));
            ids.Add(built.Meta.Id);
        }
        using var producer = log.CreateProducer();
        await producer.ProduceAsync(records, Ct);
        return ids;
    }

    /// <summary>Version 2 producers: the client with both schemas writes the newest, 2.0.0, checked at enqueue.</summary>
    private static async Task<IReadOnlyList<string>> ProduceVersion2Async(IJobLog log, IReadOnlyList<PlannedMessage> messages)
    {
        var options = new CourierOptions { ParamsSchemas = IncidentSchemas.Both() };
        using var telemetry = new CourierTelemetry();
        using var client = new CourierClient(log, options, telemetry, TimeProvider.System);
        var jobs = await client.EnqueueBatchAsync(messages
            .Select(m => new JobRequest { Type = JobType, Database = PlannedMessage.Database, Params = m.V2Params })
            .ToList(), Ct);
        return jobs.Select(j => j.Id).ToList();
    }

    /// <summary>Idle twice in a row: nothing in flight, every consumed partition committed to its end.</summary>
    private static Task WaitIdleAsync(Dispatcher dispatcher) =>
        DispatcherIdle.WaitAsync(dispatcher, Deadline, () => DispatcherIdle.DescribeAsync(dispatcher, InProcessCourier.Describe));
}
