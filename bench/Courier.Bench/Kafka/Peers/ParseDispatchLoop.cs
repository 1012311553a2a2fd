using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;

namespace Courier.Bench;

/// <summary>
/// The second baseline: the minimum any real consumer of these records does, written plainly. One thread consumes
/// (the bare loop's settings, key ignored) and writes each record into a bounded channel; worker tasks parse the value
/// with System.Text.Json into a <see cref="PeerJob"/> and call a no-op handler; finished offsets come back to the
/// consumer thread, which stores a partition's offset only when every earlier record of it is done
/// (<see cref="PartitionWatermarks"/>) and lets librdkafka's auto commit send the stored offsets periodically.
/// </summary>
internal sealed class ParseDispatchLoop
{
    /// <summary>Records the channel holds before the consumer thread waits.</summary>
    public const int ChannelCapacity = 1_024;

    /// <summary>Milliseconds between librdkafka's commits of the stored offsets.</summary>
    public const int AutoCommitIntervalMs = 1_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Channel<PeerRecord> _channel;
    private readonly ConcurrentQueue<PeerRecord> _finished = new();
    private readonly RecordCounter _counter;

    private ParseDispatchLoop(RecordCounter counter, int workers)
    {
        _counter = counter;
        _channel = Channel.CreateBounded<PeerRecord>(new BoundedChannelOptions(ChannelCapacity)
        {
            SingleWriter = true,
            SingleReader = workers == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Worker tasks: one per core, as the handler does no I/O.</summary>
    public static int Workers => Environment.ProcessorCount;

    /// <summary>Times the baseline over <paramref name="topic"/> until its handler has run <paramref name="count"/> times.</summary>
    public static async Task<KafkaRun> RunAsync(
        ConsumerConfig baseConfig, string topic, string group, int count, TimeSpan limit, CancellationToken cancellationToken)
    {
        var counter = new RecordCounter();
        var loop = new ParseDispatchLoop(counter, Workers);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var config = new ConsumerConfig(baseConfig.ToDictionary(kv => kv.Key, kv => kv.Value))
        {
            GroupId = "bench-" + group,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
            EnableAutoOffsetStore = false,
            AutoCommitIntervalMs = AutoCommitIntervalMs,
        };
        Task<long> consuming = Task.FromResult(0L);
        Task[] workers = [];
        var run = await counter.MeasureAsync(KafkaConsumer.ParseDispatch, count, limit, () =>
        {
            workers = Enumerable.Range(0, Workers).Select(_ => Task.Run(loop.WorkAsync, CancellationToken.None)).ToArray();
            var working = workers;
            consuming = Task.Factory.StartNew(() => loop.Consume(config, topic, working, stop.Token), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return Task.CompletedTask;
        }, cancellationToken);
        await stop.CancelAsync();
        var committed = await consuming;
        await Task.WhenAll(workers);
        return run with { CommittedRecords = committed };
    }

    /// <summary>The consumer thread; returns how many records the group's committed offsets cover when it stops.</summary>
    private long Consume(ConsumerConfig config, string topic, Task[] workers, CancellationToken stop)
    {
        var watermarks = new PartitionWatermarks();
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config)
            .SetPartitionsRevokedHandler((_, revoked) => watermarks.Revoke(revoked))
            .Build();
        consumer.Subscribe(topic);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                StoreFinished(consumer, topic, watermarks);
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result?.Message is not { } message)
                {
                    continue;
                }
                var record = new PeerRecord(message.Value, result.Partition.Value, result.Offset.Value);
                watermarks.Started(record.Partition, record.Offset);
                while (!_channel.Writer.TryWrite(record))
                {
                    // The workers are behind: store what they finished, then wait for room.
                    StoreFinished(consumer, topic, watermarks);
                    _channel.Writer.WaitToWriteAsync(stop).AsTask().GetAwaiter().GetResult();
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping while waiting for room in the channel.
        }
        finally
        {
            _channel.Writer.TryComplete();
        }
        // Let the workers finish what the channel holds, store the last watermarks and commit them, then check what the
        // group committed: each partition starts at offset 0, so the committed offsets add up to the records covered.
        Task.WaitAll(workers, CancellationToken.None);
        StoreFinished(consumer, topic, watermarks);
        var committed = CommitAndCount(consumer);
        consumer.Close();
        return committed;
    }

    private static long CommitAndCount(IConsumer<Ignore, byte[]> consumer)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing stored since the last automatic commit.
        }
        return consumer.Committed(consumer.Assignment, TimeSpan.FromSeconds(10)).Sum(p => Math.Max(0, p.Offset.Value));
    }

    private void StoreFinished(IConsumer<Ignore, byte[]> consumer, string topic, PartitionWatermarks watermarks)
    {
        var advanced = false;
        while (_finished.TryDequeue(out var record))
        {
            advanced |= watermarks.Completed(record.Partition, record.Offset);
        }
        if (advanced)
        {
            watermarks.Store(consumer, topic);
        }
    }

    private async Task WorkAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var record))
            {
                var job = JsonSerializer.Deserialize<PeerJob>(record.Value, Json)
                    ?? throw new JsonException("a job record's value is JSON null");
                await HandleAsync(job).ConfigureAwait(false);
                _finished.Enqueue(record);
            }
        }
    }

    /// <summary>The no-op handler: counts the record and returns.</summary>
    private ValueTask HandleAsync(PeerJob job)
    {
        _counter.OnHandled(job.Params.Sequence, job.Params.EnqueueTimestamp);
        return ValueTask.CompletedTask;
    }
}
