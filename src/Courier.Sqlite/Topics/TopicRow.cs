namespace Courier.Sqlite.Topics;

/// <summary>A topic's id in the file and its partition count.</summary>
internal readonly record struct TopicRow(long TopicId, int Partitions);
