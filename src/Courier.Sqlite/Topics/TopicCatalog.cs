using Courier.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Courier.Sqlite.Topics;

/// <summary>Topic rows and their partition rows; every method runs inside the caller's write transaction.</summary>
internal sealed class TopicCatalog : IDisposable
{
    private readonly SqliteCommand _find;
    private readonly SqliteCommand _insertTopic;
    private readonly SqliteCommand _insertPartition;
    private readonly SqliteCommand _growTopic;

    public TopicCatalog(LogConnection connection)
    {
        _find = connection.Prepare("SELECT topic_id, partitions FROM topics WHERE name = $name", "$name");
        _insertTopic = connection.Prepare(
            "INSERT INTO topics (name, partitions, created_ms) VALUES ($name, $partitions, $now) RETURNING topic_id",
            "$name", "$partitions", "$now");
        _insertPartition = connection.Prepare(
            "INSERT INTO partitions (topic_id, partition, next_offset) VALUES ($topic, $partition, 0)", "$topic", "$partition");
        _growTopic = connection.Prepare("UPDATE topics SET partitions = $partitions WHERE topic_id = $topic", "$partitions", "$topic");
    }

    public TopicRow? Find(string name)
    {
        _find.Parameters[0].Value = name;
        using var reader = _find.ExecuteReader();
        return reader.Read() ? new TopicRow(reader.GetInt64(0), reader.GetInt32(1)) : null;
    }

    /// <summary>Creates the topic, or grows it to at least <paramref name="partitions"/>; returns the resulting row.</summary>
    public TopicRow Ensure(string name, int partitions, long nowMs)
    {
        var existing = Find(name);
        if (existing is { } row)
        {
            if (row.Partitions >= partitions)
            {
                return row;
            }
            AddPartitions(row.TopicId, row.Partitions, partitions);
            _growTopic.Parameters[0].Value = partitions;
            _growTopic.Parameters[1].Value = row.TopicId;
            _growTopic.ExecuteNonQuery();
            return row with { Partitions = partitions };
        }
        _insertTopic.Parameters[0].Value = name;
        _insertTopic.Parameters[1].Value = partitions;
        _insertTopic.Parameters[2].Value = nowMs;
        var topicId = (long)_insertTopic.ExecuteScalar()!;
        AddPartitions(topicId, 0, partitions);
        return new TopicRow(topicId, partitions);
    }

    public void Dispose()
    {
        _find.Dispose();
        _insertTopic.Dispose();
        _insertPartition.Dispose();
        _growTopic.Dispose();
    }

    private void AddPartitions(long topicId, int from, int to)
    {
        _insertPartition.Parameters[0].Value = topicId;
        for (var partition = from; partition < to; partition++)
        {
            _insertPartition.Parameters[1].Value = partition;
            _insertPartition.ExecuteNonQuery();
        }
    }
}
