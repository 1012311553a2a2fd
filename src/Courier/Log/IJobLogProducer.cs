namespace Courier;

/// <summary>Appends records to the job log. Thread-safe.</summary>
public interface IJobLogProducer : IDisposable
{
    /// <summary>
    /// Appends a batch. Completes when every record is durable in the log (Kafka: acknowledged by all in-sync
    /// replicas; SQLite: committed). Returns each record's position, in input order. If it throws, any record
    /// of the batch may or may not have been appended. Once the call is over the log holds no reference to the
    /// records' values, so the caller may reuse their memory.
    /// </summary>
    ValueTask<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(
        IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default);
}
