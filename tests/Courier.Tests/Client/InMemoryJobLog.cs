using System.Collections.Concurrent;
using System.Text;

namespace Courier.Tests.Client;

/// <summary>
/// A minimal in-memory job log for the client's tests until the SQLite engine lands: topics, key-hash
/// partitioning, offsets and an assign-only consumer. No consumer groups, no commits — the client needs neither.
/// </summary>
internal sealed class InMemoryJobLog : IJobLog
{
    private readonly ConcurrentDictionary<string, List<LogRecord>[]> _topics = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string EngineName => "memory";

    public ValueTask EnsureTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default)
    {
        _topics.GetOrAdd(topic, _ => Enumerable.Range(0, partitions).Select(_ => new List<LogRecord>()).ToArray());
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<TopicDescription>>(_topics.Select(t => new TopicDescription(t.Key, t.Value.Length)).ToList());

    public ValueTask<PartitionWatermarks> GetWatermarksAsync(TopicPartition partition, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(new PartitionWatermarks(0, Partition(partition).Count));
        }
    }

    public ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedOffsetsAsync(
        string groupId, IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyDictionary<TopicPartition, long>>(new Dictionary<TopicPartition, long>());

    public IJobLogProducer CreateProducer() => new Producer(this);

    public IJobLogConsumer CreateConsumer(JobLogConsumerOptions options) => new Consumer(this);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private List<LogRecord> Partition(TopicPartition partition) =>
        _topics.TryGetValue(partition.Topic, out var partitions) && partition.Partition < partitions.Length
            ? partitions[partition.Partition]
            : throw new JobLogException($"unknown partition {partition}");

    private sealed class Producer(InMemoryJobLog log) : IJobLogProducer
    {
        private int _next;

        public ValueTask<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(
            IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default)
        {
            var positions = new TopicPartitionOffset[records.Count];
            lock (log._gate)
            {
                for (var i = 0; i < records.Count; i++)
                {
                    var record = records[i];
                    if (!log._topics.TryGetValue(record.Topic, out var partitions))
                    {
                        throw new JobLogException($"topic {record.Topic} does not exist");
                    }
                    var partition = record.Partition ?? (record.Key is null ? _next++ % partitions.Length : Hash(record.Key) % partitions.Length);
                    var list = partitions[partition];
                    list.Add(new LogRecord
                    {
                        Topic = record.Topic,
                        Partition = partition,
                        Offset = list.Count,
                        Key = record.Key,
                        Value = record.Value.ToArray(),
                        Headers = record.Headers ?? [],
                        Timestamp = DateTimeOffset.UtcNow,
                    });
                    positions[i] = new TopicPartitionOffset(record.Topic, partition, list.Count - 1);
                }
            }
            return ValueTask.FromResult<IReadOnlyList<TopicPartitionOffset>>(positions);
        }

        public void Dispose()
        {
        }

        private static int Hash(string key)
        {
            // FNV-1a: stable across processes, unlike string.GetHashCode.
            var hash = 2166136261u;
            foreach (var b in Encoding.UTF8.GetBytes(key))
            {
                hash = (hash ^ b) * 16777619u;
            }
            return (int)(hash & int.MaxValue);
        }
    }

    private sealed class Consumer(InMemoryJobLog log) : IJobLogConsumer
    {
        private readonly Dictionary<TopicPartition, long> _positions = [];

        public IReadOnlyCollection<TopicPartition> Assignment => _positions.Keys;

        public void Subscribe(IReadOnlyCollection<string> topics) => throw new NotSupportedException();

        public void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions)
        {
            _positions.Clear();
            foreach (var p in partitions)
            {
                _positions[p.TopicPartition] = p.Offset;
            }
        }

        public LogRecord? Consume(TimeSpan timeout, CancellationToken cancellationToken = default)
        {
            lock (log._gate)
            {
                foreach (var (partition, offset) in _positions)
                {
                    var list = log.Partition(partition);
                    if (offset < list.Count)
                    {
                        _positions[partition] = offset + 1;
                        return list[(int)offset];
                    }
                }
            }
            return null;
        }

        public void Seek(TopicPartitionOffset position) => _positions[position.TopicPartition] = position.Offset;

        public void Pause(IReadOnlyCollection<TopicPartition> partitions) => throw new NotSupportedException();

        public void Resume(IReadOnlyCollection<TopicPartition> partitions) => throw new NotSupportedException();

        public void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets) => throw new NotSupportedException();

        public void Close()
        {
        }

        public void Dispose()
        {
        }
    }
}
