using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;

namespace Courier.Bench.KafkaLatency;

/// <summary>
/// The baseline: a bare Confluent.Kafka producer and consumer with the case's <c>linger.ms</c> and
/// <c>fetch.wait.max.ms</c> (and, like Courier, an idempotent producer with <c>acks=all</c> and
/// <c>fetch.queue.backoff.ms=10</c>). Each record carries its sequence and enqueue timestamp in headers; the consumer,
/// on a thread of its own, hands them to the probe as soon as <c>Consume</c> returns the record.
/// </summary>
internal sealed class BareLatencyPair : IAsyncDisposable
{
    private static readonly byte[] Value = Encoding.UTF8.GetBytes(
        """{"type":"noop","database":"wiki0","params":{"sequence":0,"enqueueTimestamp":0},"padding":"a record about the size of a Courier job event, so that fetches carry as many bytes"}""");

    private readonly IProducer<string, byte[]> _producer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _consumer;
    private readonly string _topic;

    public BareLatencyPair(string bootstrapServers, string topic, LatencyCase tuning, JobProbe probe)
    {
        _topic = topic;
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            LingerMs = tuning.LingerMs,
            EnableIdempotence = true,
            Acks = Acks.All,
            AllowAutoCreateTopics = false,
        }).Build();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "bench-" + topic,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            FetchWaitMaxMs = tuning.FetchWaitMaxMs,
            FetchQueueBackoffMs = 10,
        };
        _consumer = Task.Factory.StartNew(() => ConsumeLoop(config, probe), _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Produces <paramref name="count"/> records from sequence <paramref name="first"/> without waiting for them.</summary>
    public Task Send(int first, int count, long stamp)
    {
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var left = count;
        for (var i = 0; i < count; i++)
        {
            var sequence = first < 0 ? -1 : first + i;
            var headers = new Headers { { "seq", Int64(sequence) }, { "t", Int64(stamp) } };
            var message = new Message<string, byte[]> { Key = $"wiki{(uint)(first + i) % 97}", Value = Value, Headers = headers };
            _producer.Produce(_topic, message, report =>
            {
                if (report.Error.IsError)
                {
                    acknowledged.TrySetException(new KafkaException(report.Error));
                }
                else if (Interlocked.Decrement(ref left) == 0)
                {
                    acknowledged.TrySetResult();
                }
            });
        }
        return acknowledged.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _consumer;
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
        _stop.Dispose();
    }

    private void ConsumeLoop(ConsumerConfig config, JobProbe probe)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).Build();
        consumer.Subscribe(_topic);
        while (!_stop.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result?.Message.Headers is not { } headers)
            {
                continue;
            }
            probe.OnStart(ReadInt64(headers, "seq"), ReadInt64(headers, "t"));
        }
        consumer.Close();
    }

    private static byte[] Int64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static long ReadInt64(Headers headers, string key) =>
        BinaryPrimitives.ReadInt64LittleEndian(headers.GetLastBytes(key));
}
