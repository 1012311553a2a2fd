namespace Courier.Sqlite.Records;

/// <summary>A producer handle; appends go through the log's single writer connection.</summary>
internal sealed class SqliteJobLogProducer(SqliteJobLog log) : IJobLogProducer
{
    private volatile bool _disposed;

    public ValueTask<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(
        IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return log.ProduceAsync(records, cancellationToken);
    }

    public void Dispose() => _disposed = true;
}
