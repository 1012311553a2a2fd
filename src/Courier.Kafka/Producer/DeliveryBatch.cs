using Confluent.Kafka;

namespace Courier.Kafka.Producer;

/// <summary>
/// One <see cref="IJobLogProducer.ProduceAsync"/> call: completes when librdkafka has reported the delivery of every
/// record, or fails at the first delivery error. Delivery reports arrive on Confluent.Kafka's poll thread.
/// </summary>
internal sealed class DeliveryBatch
{
    private readonly TopicPartitionOffset[] _positions;
    private readonly TaskCompletionSource<IReadOnlyList<TopicPartitionOffset>> _completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _reportsStatus;
    private int _remaining;

    /// <param name="count">Records in the call.</param>
    /// <param name="reportsStatus">Whether the reports carry each record's persistence status.</param>
    public DeliveryBatch(int count, bool reportsStatus)
    {
        _positions = new TopicPartitionOffset[count];
        _remaining = count;
        _reportsStatus = reportsStatus;
    }

    public Task<IReadOnlyList<TopicPartitionOffset>> Task => _completion.Task;

    /// <summary>The delivery handler of the record at <paramref name="index"/> of the batch.</summary>
    public Action<DeliveryReport<string?, byte[]>> HandlerFor(int index) => report => Report(index, report);

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    private void Report(int index, DeliveryReport<string?, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Fail(new JobLogException(
                $"Kafka did not accept a record for {report.Topic}[{report.Partition.Value}]: {report.Error.Reason} ({report.Error.Code})" +
                (report.Error.IsFatal ? "; the error is fatal for this producer" : "") +
                // A request carrying it was sent and no answer came before this error: the broker may have appended it.
                (_reportsStatus && report.Status == PersistenceStatus.PossiblyPersisted
                    ? "; it may have been written all the same, so writing it again may duplicate it" : "")));
            return;
        }
        _positions[index] = new TopicPartitionOffset(report.Topic, report.Partition.Value, report.Offset.Value);
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _completion.TrySetResult(_positions);
        }
    }
}
