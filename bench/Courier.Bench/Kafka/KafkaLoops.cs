using System.Diagnostics;
using Confluent.Kafka;

namespace Courier.Bench;

/// <summary>The Kafka section's two bare loops: Confluent.Kafka's consumer, and the job log's, each reading bytes only.</summary>
internal static class KafkaLoops
{
    /// <summary>A consume loop as the Confluent.Kafka examples write it, on a thread of its own, until it has seen every record.</summary>
    public static async Task<KafkaRun> BareLoopAsync(
        ConsumerConfig baseConfig, string topic, string group, int count, TimeSpan limit, CancellationToken cancellationToken)
    {
        var counter = new RecordCounter();
        var firstRecord = 0L;
        var start = 0L;
        var rate = await SystemBench.MeasureAsync(count, () => Task.Factory.StartNew(() =>
        {
            counter.Begin();
            var config = new ConsumerConfig(baseConfig.ToDictionary(kv => kv.Key, kv => kv.Value))
            {
                GroupId = "bench-" + group,
                AutoOffsetReset = AutoOffsetReset.Earliest,
            };
            using var consumer = new ConsumerBuilder<string?, byte[]>(config).Build();
            start = Stopwatch.GetTimestamp();
            consumer.Subscribe(topic);
            long seen = 0;
            long bytes = 0;
            while (seen < count && Stopwatch.GetElapsedTime(start) < limit && !cancellationToken.IsCancellationRequested)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null)
                {
                    continue;
                }
                if (seen == 0)
                {
                    firstRecord = Stopwatch.GetTimestamp();
                    counter.MarkFirst();
                }
                // Touch the value, as any real loop would.
                bytes += result.Message.Value?.Length ?? 0;
                seen++;
            }
            counter.MarkLast();
            consumer.Close();
            return seen;
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        return KafkaRun.Of(KafkaConsumer.Bare, rate, counter, firstRecord, start);
    }

    /// <summary>The Kafka job log's own consumer in a bare loop: the engine's share of the gap, without the dispatcher.</summary>
    public static async Task<KafkaRun> JobLogLoopAsync(KafkaJobLog log, string topic, string group, int count, TimeSpan limit, CancellationToken cancellationToken)
    {
        var counter = new RecordCounter();
        var firstRecord = 0L;
        var start = 0L;
        var rate = await SystemBench.MeasureAsync(count, () => Task.Factory.StartNew(() =>
        {
            counter.Begin();
            using var consumer = log.CreateConsumer(new JobLogConsumerOptions { GroupId = "bench-" + group });
            start = Stopwatch.GetTimestamp();
            consumer.Subscribe([topic]);
            long seen = 0;
            long bytes = 0;
            while (seen < count && Stopwatch.GetElapsedTime(start) < limit && !cancellationToken.IsCancellationRequested)
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(100), cancellationToken);
                if (record is null)
                {
                    continue;
                }
                if (seen == 0)
                {
                    firstRecord = Stopwatch.GetTimestamp();
                    counter.MarkFirst();
                }
                bytes += record.Value.Length;
                seen++;
            }
            counter.MarkLast();
            consumer.Close();
            return seen;
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        return KafkaRun.Of(KafkaConsumer.JobLog, rate, counter, firstRecord, start);
    }
}
