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
    private int _remaining;

    public DeliveryBatch(int count)
    {
        _positions = new TopicPartitionOffset[count];
        _remaining = count;
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
                (report.Error.IsFatal ? "; the error is fatal for this producer" : "")));
            return;
        }
        _positions[index] = new TopicPartitionOffset(report.Topic, report.Partition.Value, report.Offset.Value);
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _completion.TrySetResult(_positions);
        }
    }
}
