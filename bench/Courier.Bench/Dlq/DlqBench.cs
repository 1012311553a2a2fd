using System.Diagnostics;
using System.Globalization;
using System.Text;
using Courier.Server.Admin;
using Courier.Server.Admin.Index;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Bench.Dlq;

/// <summary>
/// Dead-letter browsing at scale (issue 14): writes dead letters over <see cref="Types"/> job types straight into the
/// error topic (raw records in big batches, as the dispatcher would have written them one by one), lets the
/// dead-letter index catch up from empty, then times what the console asks: the first page, a filtered page, a text
/// search, a page deep in the list through cursors, counts, one dead letter by position, and a dry-run replay of one
/// type. On the embedded log and on Kafka (librdkafka's mock cluster, fewer records: it keeps about 5 MiB per partition).
/// </summary>
internal sealed class DlqBench(BenchOptions options, Action<string> log)
{
    /// <summary>Job types the dead letters spread over.</summary>
    public const int Types = 200;

    private const int WriteBatch = 10_000;
    private const int Repeats = 7;
    private static readonly string[] Classes = ["permanent", "retryable", "decode"];

    public async Task<DlqResult> RunAsync(CancellationToken cancellationToken)
    {
        var runs = new List<DlqRun>();
        foreach (var engine in options.DetectEngines)
        {
            using var dir = new Courier.Testing.TempDirectory();
            var kafka = engine == "kafka";
            using var cluster = kafka ? KafkaDevCluster.Start(brokers: 1) : null;
            var records = kafka ? options.DlqKafkaRecords : options.DlqRecords;
            var partitions = kafka ? options.KafkaPartitions : 4;
            var courierOptions = new CourierOptions();
            await using var jobLog = cluster is null ? (IJobLog)SqliteJobLog.Open(dir.File("log.db")) : KafkaBench.CreateLog(cluster, Confluent.Kafka.GroupProtocol.Classic);
            if (cluster is not null)
            {
                cluster.CreateTopic(courierOptions.Topics.ErrorTopic, partitions);
            }
            else
            {
                await jobLog.EnsureTopicAsync(courierOptions.Topics.ErrorTopic, partitions, cancellationToken);
            }
            runs.Add(await RunAsync(engine, jobLog, courierOptions, records, partitions, dir, cancellationToken));
        }
        return new DlqResult { Types = Types, Runs = runs };
    }

    private async Task<DlqRun> RunAsync(string engine, IJobLog jobLog, CourierOptions courierOptions, int records, int partitions,
        Courier.Testing.TempDirectory dir, CancellationToken cancellationToken)
    {
        var topics = courierOptions.Topics;
        log($"dlq {engine}: writing {records:N0} dead letters over {Types} types into {partitions} partitions");
        var write = Stopwatch.StartNew();
        using (var producer = jobLog.CreateProducer())
        {
            for (var start = 0; start < records; start += WriteBatch)
            {
                var batch = Enumerable.Range(start, Math.Min(WriteBatch, records - start)).Select(i => Record(topics, i, partitions)).ToList();
                await producer.ProduceAsync(batch, cancellationToken);
            }
        }
        var writePerSecond = records / write.Elapsed.TotalSeconds;

        var index = DeadLetterIndex.Open(dir.File(DeadLetterIndex.FileName), topics.ErrorTopic);
        var browser = new IndexedDeadLetterBrowser(jobLog, index, courierOptions, _ => null, TimeProvider.System);
        using var indexer = new DeadLetterIndexer(jobLog, index, topics, TimeProvider.System, NullLogger<DeadLetterIndexer>.Instance);
        var catchUp = Stopwatch.StartNew();
        await indexer.StartAsync(cancellationToken);
        while (index.Count(IndexFilter.Of(DeadLetterFilter.All)) < records || await browser.NotYetIndexedAsync(cancellationToken) > 0)
        {
            await Task.Delay(50, cancellationToken);
        }
        var indexPerSecond = records / catchUp.Elapsed.TotalSeconds;
        log($"dlq {engine}: indexed {records:N0} in {catchUp.Elapsed.TotalSeconds:N1} s ({indexPerSecond:N0}/s)");

        var medians = new Dictionary<string, double>();
        var descriptions = new Dictionary<string, string>();
        async Task Time(string name, string what, Func<Task> query)
        {
            await query(); // warm
            var samples = new List<double>();
            for (var i = 0; i < Repeats; i++)
            {
                var watch = Stopwatch.StartNew();
                await query();
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }
            medians[name] = RoundStats.Median(samples);
            descriptions[name] = what;
            log($"dlq {engine}: {name} {medians[name]:N1} ms");
        }
        var type = TypeName(123);
        await Time("first page", "50 newest, with the matching count", () => browser.QueryAsync(new DeadLetterQuery(), cancellationToken));
        await Time("type + class page", $"50 newest of {type}, permanent, with count", () =>
            browser.QueryAsync(new DeadLetterQuery { JobType = type, Class = FailureClass.Permanent }, cancellationToken));
        await Time("unreplayed page", "50 newest not replayed, with count", () => browser.QueryAsync(new DeadLetterQuery { Unreplayed = true }, cancellationToken));
        await Time("text page", "50 newest whose reason contains 'shard 17 ', with count (scans)", () =>
            browser.QueryAsync(new DeadLetterQuery { Text = "shard 17 " }, cancellationToken));
        var deep = await CursorAtAsync(browser, 10_000, cancellationToken);
        await Time("deep page", "50 after the 10,000th newest, by cursor", () => browser.QueryAsync(new DeadLetterQuery { Cursor = deep }, cancellationToken));
        await Time("count all", "COUNT(*) of every dead letter", () => Task.FromResult(index.Count(IndexFilter.Of(DeadLetterFilter.All))));
        await Time("count type", $"COUNT(*) of {type}", () => Task.FromResult(index.Count(IndexFilter.Of(new DeadLetterFilter(type)))));
        var middle = new TopicPartitionOffset(topics.ErrorTopic, 1, records / partitions / 2);
        await Time("show one", "one dead letter by position: record from the log + index row", () => browser.GetAsync(middle, cancellationToken));
        await Time("dry-run replay", $"replay {type} (every class), dry run", () =>
            browser.ReplayAsync(new DeadLetterFilter(type), null, dryRun: true, cancellationToken));
        await indexer.StopAsync(CancellationToken.None);

        var bytes = ((string[])["", "-wal"]).Select(s => new FileInfo(index.Path + s)).Where(f => f.Exists).Sum(f => f.Length);
        return new DlqRun
        {
            Engine = engine, Records = records, Partitions = partitions, WritePerSecond = writePerSecond, IndexPerSecond = indexPerSecond,
            IndexBytes = bytes, MedianMs = medians, Descriptions = descriptions,
        };
    }

    private static async Task<string> CursorAtAsync(IndexedDeadLetterBrowser browser, int depth, CancellationToken cancellationToken)
    {
        string? cursor = null;
        for (var seen = 0; seen < depth; seen += DeadLetterQuery.MaxLimit)
        {
            cursor = (await browser.QueryAsync(new DeadLetterQuery { Cursor = cursor, Limit = DeadLetterQuery.MaxLimit }, cancellationToken)).NextCursor;
        }
        return cursor ?? throw new InvalidOperationException($"fewer than {depth} dead letters");
    }

    private static string TypeName(int i) => "type" + (i % Types).ToString("D3", CultureInfo.InvariantCulture);

    // An error-topic record with the headers the dispatcher writes (OutcomeWriter.WriteDeadLetterAsync).
    private static OutgoingRecord Record(TopicNames topics, int i, int partitions)
    {
        var type = TypeName(i);
        var id = "job-" + i.ToString(CultureInfo.InvariantCulture);
        var value = Encoding.UTF8.GetBytes(
            $$$"""{"$schema":"/mediawiki/job/1.0.0","meta":{"id":"{{{id}}}","dt":"2026-12-05T10:00:00Z"},"database":"enwiki","type":"{{{type}}}","params":{"n":{{{i}}}}}""");
        LogHeader H(string key, string text) => new(key, Encoding.UTF8.GetBytes(text));
        return new OutgoingRecord(topics.ErrorTopic, "enwiki", value,
        [
            H(CourierHeaders.JobType, type), H(CourierHeaders.JobId, id), H(CourierHeaders.OriginTopic, topics.JobTopic(type)),
            H(CourierHeaders.Attempts, "3"), H(CourierHeaders.FailureClass, Classes[i % Classes.Length]),
            H(CourierHeaders.FailureMessage, $"backend shard {i % 31} is down ({i})"), H(CourierHeaders.Executor, "in-process"),
            H(CourierHeaders.Release, "1.2.3"), H(CourierHeaders.FailedAt, "2026-12-05T10:00:01.0000000+00:00"),
        ], Partition: i % partitions);
    }
}
