using System.Globalization;
using System.Text;
using Courier.EndToEnd.Support;
using Courier.Testing;
using Xunit;

namespace Courier.EndToEnd.BadRecords;

/// <summary>
/// A record that cannot become a job is a failure, never a skip (the 2019 incident: jobs that could not be built
/// were dropped for 17 hours). Each bad record must reach the error topic with class <c>decode</c>, its bytes
/// unchanged and a message naming the problem, while good jobs in the same partitions keep flowing.
/// </summary>
public sealed class BadRecordTests
{
    private const int MaxEventBytes = 64 * 1024;
    private const string Wiki = "testwiki";

    [Fact]
    public async Task Dispatcher_DeadLettersEveryBadRecordAsDecode_AndKeepsRunningGoodJobs()
    {
        var courierOptions = new CourierOptions { MaxEventBytes = MaxEventBytes };
        var dispatcherOptions = new DispatcherOptions
        {
            GroupId = "e2e-bad-records",
            CommitInterval = TimeSpan.FromMilliseconds(50),
            ShutdownDrainTimeout = TimeSpan.FromSeconds(5),
            RetryTiers = [TimeSpan.FromMilliseconds(100)],
            // "orphan" is consumed (it has a rule) but no handler is registered for it.
            Rules =
            {
                new JobRule { Type = "alpha", Concurrency = 8, Retry = new RetryPolicy { Limit = 1, Delay = TimeSpan.FromMilliseconds(100) } },
                new JobRule { Type = "orphan", Concurrency = 2, Retry = new RetryPolicy { Limit = 1, Delay = TimeSpan.FromMilliseconds(100) } },
            },
        };
        var ledger = new JobLedger();
        await using var courier = new InProcessCourier(dispatcherOptions, courierOptions, registry => registry.Add("alpha", new LedgerHandler(ledger)));
        var topics = courierOptions.Topics;
        var alphaTopic = topics.JobTopic("alpha");

        // A hand-written event in the mediawiki/job shape: the baseline the bad variants break one rule of. It
        // is produced raw too and must succeed, so each variant fails for its own reason only.
        var rawGoodId = Guid.NewGuid().ToString();
        var rawGood = Event(rawGoodId, "alpha", """{"name":"raw-good"}""");
        var orphanId = Guid.NewGuid().ToString();
        var strangerId = Guid.NewGuid().ToString();
        var bad = new List<BadRecord>
        {
            new("not JSON", alphaTopic, "this is not json {"u8.ToArray(), ["JSON"]),
            new("binary, not UTF-8", alphaTopic, [0xFF, 0xFE, 0x00, 0x9C, 0x7B, 0x22], ["UTF-8", "JSON"]),
            new("empty record", alphaTopic, [], ["JSON", "empty", "byte"]),
            new("JSON that is not an object", alphaTopic, "[1,2,3]"u8.ToArray(), ["object"]),
            new("missing meta.id", alphaTopic, Event(null, "alpha", """{"name":"x"}"""), ["meta.id"]),
            new("params is an array", alphaTopic, Event(Guid.NewGuid().ToString(), "alpha", """["name","x"]"""), ["params"]),
            new("oversize", alphaTopic,
                Event(Guid.NewGuid().ToString(), "alpha", $$"""{"name":"{{new string('x', MaxEventBytes)}}"}"""),
                [MaxEventBytes.ToString(CultureInfo.InvariantCulture)]),
            new("valid event of a type with no handler", topics.JobTopic("orphan"), Event(orphanId, "orphan", """{"name":"o"}"""), ["orphan"], orphanId),
            new("valid event of another type on alpha's topic", alphaTopic, Event(strangerId, "stranger", """{"name":"s"}"""), ["stranger"], strangerId),
        };

        await courier.StartAsync();
        var goodIds = new List<string>();
        async Task EnqueueGoodAsync(int count)
        {
            var jobs = await courier.EnqueueAsync(Enumerable.Range(goodIds.Count, count)
                .Select(i => new JobRequest { Type = "alpha", Database = Wiki, Params = new GoodParams($"good-{i}") }).ToList());
            goodIds.AddRange(jobs.Select(j => j.Id));
        }

        // Bad records sit between good jobs in the same partition (same key), so a bad record that stalled its
        // partition would hold up the good jobs behind it.
        await EnqueueGoodAsync(50);
        await courier.ProduceRawAsync(alphaTopic, Wiki, rawGood);
        foreach (var record in bad)
        {
            await courier.ProduceRawAsync(record.Topic, Wiki, record.Value);
            await EnqueueGoodAsync(20);
        }

        // The dispatcher is still running: a good job enqueued after every bad record is processed.
        var after = await courier.Client.EnqueueAsync(
            new JobRequest { Type = "alpha", Database = Wiki, Params = new GoodParams("after the bad records") }, TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(
            () => ValueTask.FromResult(ledger.Successes(after.Id) == 1),
            "the good job enqueued after the bad records ran",
            TimeSpan.FromSeconds(60),
            () => ValueTask.FromResult($"the good job enqueued after the bad records did not run; "
                + string.Join("; ", courier.Dispatcher.GetStats().Select(InProcessCourier.Describe))));
        goodIds.Add(after.Id);
        await courier.WaitUntilIdleAsync(TimeSpan.FromSeconds(60));

        // Every good job succeeded exactly once, the raw one included.
        var missing = goodIds.Append(rawGoodId).Where(id => ledger.Successes(id) != 1).ToList();
        Assert.True(missing.Count == 0,
            $"{missing.Count} good jobs did not succeed exactly once: {string.Join(", ", missing.Take(10).Select(id => $"{id}×{ledger.Successes(id)}"))}");

        // Every bad record is in the error topic exactly once, byte for byte, as decode, saying what is wrong.
        var letters = await courier.ReadDeadLettersAsync();
        var problems = new List<string>();
        foreach (var record in bad)
        {
            var matches = letters.Where(l => l.OriginalEvent.Span.SequenceEqual(record.Value)).ToList();
            if (matches.Count != 1)
            {
                problems.Add($"{record.Name}: {matches.Count} dead letters with its bytes (expected 1)");
                continue;
            }
            var letter = matches[0];
            if (letter.Class != FailureClass.Decode)
            {
                problems.Add($"{record.Name}: class {letter.Class?.ToWireName() ?? "(none)"}, expected decode ('{letter.Message}')");
            }
            if (string.IsNullOrWhiteSpace(letter.Message)
                || !record.MessageMustContain.Any(word => letter.Message.Contains(word, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{record.Name}: message '{letter.Message}' names none of: {string.Join(", ", record.MessageMustContain)}");
            }
            if (letter.OriginTopic != record.Topic)
            {
                problems.Add($"{record.Name}: origin topic '{letter.OriginTopic}', expected '{record.Topic}'");
            }
            if (record.JobId is not null && letter.JobId != record.JobId)
            {
                problems.Add($"{record.Name}: job id '{letter.JobId}', expected '{record.JobId}'");
            }
        }
        if (letters.Count != bad.Count)
        {
            problems.Add($"{letters.Count} dead letters in all, expected {bad.Count}: "
                + string.Join("; ", letters.Select(l => $"[{l.Class?.ToWireName()}] {l.Message}")));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // Decode failures were never retried, and the counters say where they went.
        var stats = courier.Dispatcher.GetStats().ToDictionary(s => s.Type, StringComparer.Ordinal);
        var alphaStats = stats["alpha"];
        var orphanStats = stats["orphan"];
        var badOnAlpha = bad.Count(b => b.Topic == alphaTopic);
        Assert.True(alphaStats.DeadLetteredByClass.GetValueOrDefault(FailureClass.Decode) == badOnAlpha, InProcessCourier.Describe(alphaStats));
        Assert.True(alphaStats.Succeeded == goodIds.Count + 1, InProcessCourier.Describe(alphaStats));
        Assert.True(alphaStats.Started == goodIds.Count + 1 + badOnAlpha, InProcessCourier.Describe(alphaStats));
        Assert.True(alphaStats.Retried == 0 && alphaStats.Pending == 0, InProcessCourier.Describe(alphaStats));
        Assert.True(orphanStats.DeadLetteredByClass.GetValueOrDefault(FailureClass.Decode) == 1, InProcessCourier.Describe(orphanStats));
        Assert.True(orphanStats.Retried == 0 && orphanStats.Pending == 0, InProcessCourier.Describe(orphanStats));

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", letters.Select(l => $"decode dead letter: {l.Message}")));
    }

    /// <summary>A mediawiki/job event written by hand; <paramref name="id"/> null leaves out <c>meta.id</c>.</summary>
    private static byte[] Event(string? id, string type, string paramsJson)
    {
        var idMember = id is null ? "" : $"\"id\":\"{id}\",";
        return Encoding.UTF8.GetBytes(
            $$"""{"$schema":"/mediawiki/job/1.0.0","meta":{{{idMember}}"dt":"2019-04-17T19:14:00Z","stream":"mediawiki.job.{{type}}","domain":"test.wikipedia.org"},"database":"{{Wiki}}","type":"{{type}}","params":{{paramsJson}}}""");
    }
}
