namespace Courier.Tests.Client;

/// <summary>Wraps any job log and counts what the client asks of it: produce calls, records, producer disposal.</summary>
internal sealed class CountingJobLog(IJobLog inner) : IJobLog
{
    private int _produceCalls;
    private int _producersDisposed;

    public IJobLog Inner => inner;

    public int ProduceCalls => Volatile.Read(ref _produceCalls);

    public int ProducersDisposed => Volatile.Read(ref _producersDisposed);

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

    public IJobLogProducer CreateProducer() => new Producer(this, inner.CreateProducer());

    public IJobLogConsumer CreateConsumer(JobLogConsumerOptions options) => inner.CreateConsumer(options);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class Producer(CountingJobLog owner, IJobLogProducer inner) : IJobLogProducer
    {
        public ValueTask<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(
            IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._produceCalls);
            return inner.ProduceAsync(records, cancellationToken);
        }

        public void Dispose()
        {
            Interlocked.Increment(ref owner._producersDisposed);
            inner.Dispose();
        }
    }
}
