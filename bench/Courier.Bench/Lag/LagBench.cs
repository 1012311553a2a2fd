using System.Diagnostics;

namespace Courier.Bench.Lag;

/// <summary>
/// Reading lag (what the dispatcher's lag monitor, <c>GET /v1/types</c> and <c>courier stats</c> do): list the topics,
/// read the group's committed offsets, then both watermarks of every partition — <see cref="Topics"/> job topics of
/// <see cref="PartitionsPerTopic"/> partitions, every other partition holding a record. The watermarks are read once
/// as a loop of single-partition reads and once as one batched read, on the embedded log and on librdkafka's mock
/// cluster at broker round trips of 0, 5 and 20 ms (the mock answers at once unless told otherwise; 20 ms is closer
/// to a network). One warm-up read, then <see cref="Rounds"/> timed reads of each.
/// </summary>
internal sealed class LagBench(BenchOptions options, Action<string> log)
{
    /// <summary>Job topics read, as a deployment with 200 job types has.</summary>
    public const int Topics = 200;

    /// <summary>Partitions per topic.</summary>
    public const int PartitionsPerTopic = 4;

    private const int Rounds = 5;
    private static readonly int[] RoundTripsMs = [0, 5, 20];

    public async Task<LagResult> RunAsync(CancellationToken cancellationToken)
    {
        var runs = new List<LagRun>();
        foreach (var engine in options.DetectEngines)
        {
            using var dir = new Courier.Testing.TempDirectory();
            using var cluster = engine == "kafka" ? KafkaDevCluster.Start() : null;
            await using var jobLog = cluster is null ? (IJobLog)SqliteJobLog.Open(dir.File("log.db")) : new KafkaJobLog(cluster.CreateJobLogOptions());
            var partitions = await CreateTopicsAsync(jobLog, cancellationToken);
            foreach (var roundTrip in cluster is null ? [0] : RoundTripsMs)
            {
                cluster?.SetBrokerRoundTripTime(-1, TimeSpan.FromMilliseconds(roundTrip));
                log($"lag {engine}, round trip {roundTrip} ms: {partitions.Count} partitions, {Rounds} reads each way");
                runs.Add(new LagRun
                {
                    Engine = engine,
                    RoundTripMs = roundTrip,
                    LoopMs = await TimeAsync(() => LoopAsync(jobLog, partitions, cancellationToken)),
                    BatchedMs = await TimeAsync(() => BatchedAsync(jobLog, partitions, cancellationToken)),
                });
            }
        }
        return new LagResult { Topics = Topics, PartitionsPerTopic = PartitionsPerTopic, Runs = runs };
    }

    private static async Task<List<TopicPartition>> CreateTopicsAsync(IJobLog jobLog, CancellationToken cancellationToken)
    {
        var topics = new TopicNames();
        var partitions = new List<TopicPartition>();
        for (var i = 0; i < Topics; i++)
        {
            var topic = topics.JobTopic($"type{i:D3}");
            await jobLog.EnsureTopicAsync(topic, PartitionsPerTopic, cancellationToken);
            partitions.AddRange(Enumerable.Range(0, PartitionsPerTopic).Select(p => new TopicPartition(topic, p)));
        }
        using var producer = jobLog.CreateProducer();
        await producer.ProduceAsync(partitions.Where(p => p.Partition % 2 == 0)
            .Select(p => new OutgoingRecord(p.Topic, null, new byte[] { 1 }, null, p.Partition)).ToList(), cancellationToken);
        return partitions;
    }

    /// <summary>The read with one single-partition watermark read per partition; the sum of the high watermarks.</summary>
    private static async Task<long> LoopAsync(IJobLog jobLog, List<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        await jobLog.ListTopicsAsync(cancellationToken);
        await jobLog.GetCommittedOffsetsAsync("courier", partitions, cancellationToken);
        long sum = 0;
        foreach (var partition in partitions)
        {
            sum += (await jobLog.GetWatermarksAsync(partition, cancellationToken)).High;
        }
        return sum;
    }

    /// <summary>The read with one batched watermark read; the sum of the high watermarks.</summary>
    private static async Task<long> BatchedAsync(IJobLog jobLog, List<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        await jobLog.ListTopicsAsync(cancellationToken);
        await jobLog.GetCommittedOffsetsAsync("courier", partitions, cancellationToken);
        return (await jobLog.GetWatermarksAsync(partitions, cancellationToken)).Values.Sum(m => m.High);
    }

    /// <summary>A warm-up read, then the timed ones (sorted ms); each must find every record written.</summary>
    private static async Task<IReadOnlyList<double>> TimeAsync(Func<Task<long>> read)
    {
        const long expected = Topics * PartitionsPerTopic / 2;
        var times = new List<double>(Rounds);
        for (var round = -1; round < Rounds; round++)
        {
            var start = Stopwatch.GetTimestamp();
            var sum = await read();
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (sum != expected)
            {
                throw new InvalidOperationException($"a lag read found {sum} records, not {expected}");
            }
            if (round >= 0)
            {
                times.Add(ms);
            }
        }
        times.Sort();
        return times;
    }
}
