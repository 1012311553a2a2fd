namespace Courier.Testing;

/// <summary>
/// An ordered, thread-safe record of what consumers saw: assignments, revocations and records, each stamped with a
/// global sequence number at the moment it happened on the consumer's thread. Tests replay it to check group
/// invariants.
/// </summary>
internal sealed class LogJournal
{
    private readonly Lock _lock = new();
    private readonly List<JournalEntry> _entries = [];

    public void Assigned(string consumer, IEnumerable<TopicPartition> partitions) =>
        Add(new JournalEntry(JournalKind.Assigned, consumer, [.. partitions], null));

    public void Revoked(string consumer, IEnumerable<TopicPartition> partitions) =>
        Add(new JournalEntry(JournalKind.Revoked, consumer, [.. partitions], null));

    public void Delivered(string consumer, LogRecord record) =>
        Add(new JournalEntry(JournalKind.Delivered, consumer, [new TopicPartition(record.Topic, record.Partition)], record));

    public IReadOnlyList<JournalEntry> Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    public IReadOnlyList<LogRecord> Records(string? consumer = null) =>
        Snapshot()
            .Where(e => e.Kind == JournalKind.Delivered && (consumer is null || e.Consumer == consumer))
            .Select(e => e.Record!)
            .ToList();

    /// <summary>
    /// Replays the journal and fails if a partition was ever held by two consumers at once, or if a consumer received a
    /// record of a partition it did not hold at that moment.
    /// </summary>
    public void AssertNoPartitionReadByTwoConsumersAtOnce()
    {
        var holders = new Dictionary<TopicPartition, string>();
        foreach (var entry in Snapshot())
        {
            foreach (var partition in entry.Partitions)
            {
                switch (entry.Kind)
                {
                    case JournalKind.Assigned:
                        if (holders.TryGetValue(partition, out var holder))
                        {
                            Xunit.Assert.Fail($"{partition} was assigned to {entry.Consumer} while {holder} still held it.");
                        }
                        holders[partition] = entry.Consumer;
                        break;
                    case JournalKind.Revoked:
                        if (!holders.TryGetValue(partition, out var owner) || owner != entry.Consumer)
                        {
                            Xunit.Assert.Fail($"{partition} was revoked from {entry.Consumer}, which did not hold it.");
                        }
                        holders.Remove(partition);
                        break;
                    case JournalKind.Delivered:
                        if (!holders.TryGetValue(partition, out var reader) || reader != entry.Consumer)
                        {
                            Xunit.Assert.Fail(
                                $"{entry.Consumer} received {entry.Record!.Position} while {partition} was held by {reader ?? "nobody"}.");
                        }
                        break;
                }
            }
        }
    }

    private void Add(JournalEntry entry)
    {
        lock (_lock)
        {
            _entries.Add(entry);
        }
    }
}
