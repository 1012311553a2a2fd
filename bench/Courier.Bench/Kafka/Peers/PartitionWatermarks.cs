using Confluent.Kafka;

namespace Courier.Bench;

/// <summary>
/// In-order offset tracking for the parse-and-dispatch baseline, used from its consumer thread only (no locks): each
/// partition keeps its in-flight offsets in consume order and the finished ones that are not yet at the head; an
/// offset is stored (for librdkafka's periodic auto commit) only once every earlier record of its partition is done.
/// </summary>
internal sealed class PartitionWatermarks
{
    private readonly Dictionary<int, Pending> _partitions = [];
    private readonly Dictionary<int, long> _advanced = [];

    /// <summary>A record of <paramref name="partition"/> was handed to the workers.</summary>
    public void Started(int partition, long offset)
    {
        if (!_partitions.TryGetValue(partition, out var pending))
        {
            _partitions[partition] = pending = new Pending();
        }
        pending.InFlight.Enqueue(offset);
    }

    /// <summary>A worker finished a record; false if its partition was revoked since (it is redelivered elsewhere).</summary>
    public bool Completed(int partition, long offset)
    {
        if (!_partitions.TryGetValue(partition, out var pending))
        {
            return false;
        }
        pending.Done.Add(offset);
        var advanced = false;
        while (pending.InFlight.TryPeek(out var head) && pending.Done.Remove(head))
        {
            pending.InFlight.Dequeue();
            _advanced[partition] = head + 1;
            advanced = true;
        }
        return advanced;
    }

    /// <summary>Stores the new watermark of every partition that advanced since the last call.</summary>
    public void Store(IConsumer<Ignore, byte[]> consumer, string topic)
    {
        foreach (var (partition, next) in _advanced)
        {
            consumer.StoreOffset(new Confluent.Kafka.TopicPartitionOffset(topic, partition, next));
        }
        _advanced.Clear();
    }

    /// <summary>Forgets revoked partitions: their unfinished records go to the next owner from the last commit.</summary>
    public void Revoke(IEnumerable<Confluent.Kafka.TopicPartitionOffset> revoked)
    {
        foreach (var partition in revoked)
        {
            _partitions.Remove(partition.Partition.Value);
            _advanced.Remove(partition.Partition.Value);
        }
    }

    private sealed class Pending
    {
        public Queue<long> InFlight { get; } = new();

        public HashSet<long> Done { get; } = [];
    }
}
