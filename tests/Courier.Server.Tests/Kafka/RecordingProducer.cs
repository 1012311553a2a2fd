namespace Courier.Server.Tests.Kafka;

/// <summary>The producer of <see cref="RecordingJobLog"/>: hands each record to <paramref name="record"/>, then appends it.</summary>
internal sealed class RecordingProducer(IJobLogProducer inner, Action<OutgoingRecord> record) : IJobLogProducer
{
    public ValueTask<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default)
    {
        foreach (var r in records)
        {
            record(r);
        }
        return inner.ProduceAsync(records, cancellationToken);
    }

    public void Dispose() => inner.Dispose();
}
