namespace Courier.Bench;

/// <summary>
/// A job log whose consumer of one group reads <see cref="HeldRecords"/> from memory (<see cref="HeldRecordsConsumer"/>);
/// everything else (topics, producers, the dispatcher's control reader) goes to the real log it wraps. A dispatcher
/// of that group then runs its whole path per record, with no broker and no librdkafka in its consumer: what it costs
/// is the dispatcher's own.
/// </summary>
internal sealed class HeldRecordsLog(IJobLog inner, string groupId, HeldRecords records) : IJobLog
{
    /// <summary>The consumer the group's dispatcher created, once it has.</summary>
    public HeldRecordsConsumer? Consumer { get; private set; }

    public string EngineName => inner.EngineName;

    public ValueTask EnsureTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default) =>
        inner.EnsureTopicAsync(topic, partitions, cancellationToken);

    public ValueTask EnsureTopicAsync(string topic, int partitions, TopicCleanup cleanup, CancellationToken cancellationToken = default) =>
        inner.EnsureTopicAsync(topic, partitions, cleanup, cancellationToken);

    public ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default) =>
        inner.ListTopicsAsync(cancellationToken);

    public ValueTask<Courier.PartitionWatermarks> GetWatermarksAsync(TopicPartition partition, CancellationToken cancellationToken = default) =>
        inner.GetWatermarksAsync(partition, cancellationToken);

    public ValueTask<IReadOnlyDictionary<TopicPartition, Courier.PartitionWatermarks>> GetWatermarksAsync(
        IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        inner.GetWatermarksAsync(partitions, cancellationToken);

    public ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedOffsetsAsync(
        string groupId, IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default) =>
        inner.GetCommittedOffsetsAsync(groupId, partitions, cancellationToken);

    public IJobLogProducer CreateProducer() => inner.CreateProducer();

    public IJobLogConsumer CreateConsumer(JobLogConsumerOptions options)
    {
        if (options.GroupId != groupId)
        {
            return inner.CreateConsumer(options);
        }
        if (Consumer is not null)
        {
            throw new InvalidOperationException($"Group {groupId} replaced its consumer: the held records are served once.");
        }
        return Consumer = new HeldRecordsConsumer(options, records);
    }

    /// <summary>The wrapped log belongs to whoever made it.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
