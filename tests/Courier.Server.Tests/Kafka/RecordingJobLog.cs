namespace Courier.Server.Tests.Kafka;

/// <summary>A job log that remembers the bytes of every record its producers were handed, before the engine sees them.</summary>
internal sealed class RecordingJobLog(IJobLog inner) : IJobLog
{
    private readonly List<(string Topic, string? Key, byte[] Value)> _produced = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<(string Topic, string? Key, byte[] Value)> Produced
    {
        get
        {
            lock (_lock)
            {
                return [.. _produced];
            }
        }
    }

    public string EngineName => inner.EngineName;

    public ValueTask EnsureTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default) =>
        inner.EnsureTopicAsync(topic, partitions, cancellationToken);

    public ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default) =>
        inner.ListTopicsAsync(cancellationToken);

    public ValueTask<PartitionWatermarks> GetWatermarksAsync(TopicPartition partition, CancellationToken cancellationToken = default) =>
        inner.GetWatermarksAsync(partition, cancellationToken);

    public ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedOffsetsAsync(
        string groupId, IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        inner.GetCommittedOffsetsAsync(groupId, partitions, cancellationToken);

    public IJobLogProducer CreateProducer() => new RecordingProducer(inner.CreateProducer(), Record);

    public IJobLogConsumer CreateConsumer(JobLogConsumerOptions options) => inner.CreateConsumer(options);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private void Record(OutgoingRecord record)
    {
        lock (_lock)
        {
            // Copied now: the producer's caller may reuse the memory once the append is over.
            _produced.Add((record.Topic, record.Key, record.Value.ToArray()));
        }
    }
}
