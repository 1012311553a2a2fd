namespace Courier.Testing;

/// <summary>A job log that hands every call to another one: test doubles override only what they observe.</summary>
public abstract class DelegatingJobLog(IJobLog inner) : IJobLog
{
    /// <summary>The log every call goes to.</summary>
    public IJobLog Inner => inner;

    public virtual string EngineName => inner.EngineName;

    public virtual ValueTask EnsureTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default) =>
        inner.EnsureTopicAsync(topic, partitions, cancellationToken);

    public virtual ValueTask EnsureTopicAsync(string topic, int partitions, TopicCleanup cleanup, CancellationToken cancellationToken = default) =>
        inner.EnsureTopicAsync(topic, partitions, cleanup, cancellationToken);

    public virtual ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default) =>
        inner.ListTopicsAsync(cancellationToken);

    public virtual ValueTask<PartitionWatermarks> GetWatermarksAsync(TopicPartition partition, CancellationToken cancellationToken = default) =>
        inner.GetWatermarksAsync(partition, cancellationToken);

    public virtual ValueTask<IReadOnlyDictionary<TopicPartition, PartitionWatermarks>> GetWatermarksAsync(
        IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        inner.GetWatermarksAsync(partitions, cancellationToken);

    public virtual ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedOffsetsAsync(
        string groupId, IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        inner.GetCommittedOffsetsAsync(groupId, partitions, cancellationToken);

    public virtual IJobLogProducer CreateProducer() => inner.CreateProducer();

    public virtual IJobLogConsumer CreateConsumer(JobLogConsumerOptions options) => inner.CreateConsumer(options);

    public virtual async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
