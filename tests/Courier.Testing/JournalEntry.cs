namespace Courier.Testing;

/// <summary>One event in a <see cref="LogJournal"/>.</summary>
internal sealed record JournalEntry(JournalKind Kind, string Consumer, IReadOnlyList<TopicPartition> Partitions, LogRecord? Record);
