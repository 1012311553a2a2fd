using System.Text;
using Courier.Log;
using Courier.Sqlite.Storage;
using Courier.Sqlite.Topics;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Courier.Sqlite.Records;

/// <summary>
/// Appends batches of records on the log's writer connection. One batch is one transaction: the next offset of each
/// partition is read from and written back to the partitions table inside it, so producers in several processes get
/// dense, unique offsets without coordinating otherwise.
/// </summary>
/// <remarks>
/// The insert is the hot path and binds through SQLitePCL (the layer under Microsoft.Data.Sqlite) by position: a
/// SqliteCommand looks every parameter up by name on every execution, which costs about a third of the insert. Errors
/// still surface as <see cref="SqliteException"/>.
/// </remarks>
internal sealed class RecordWriter : IDisposable
{
    private readonly LogConnection _connection;
    private readonly TopicCatalog _catalog;
    private readonly SqliteJobLogOptions _options;
    private readonly sqlite3_stmt _insert;
    private readonly SqliteCommand _readNext;
    private readonly SqliteCommand _writeNext;
    private readonly Dictionary<string, uint> _roundRobin = new(StringComparer.Ordinal);

    public RecordWriter(LogConnection connection, TopicCatalog catalog, SqliteJobLogOptions options)
    {
        _connection = connection;
        _catalog = catalog;
        _options = options;
        Check(raw.sqlite3_prepare_v2(
            connection.Handle,
            "INSERT INTO records (topic_id, partition, record_offset, ts_ms, key, headers, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            out _insert));
        _readNext = connection.Prepare(
            "SELECT next_offset FROM partitions WHERE topic_id = $topic AND partition = $partition", "$topic", "$partition");
        _writeNext = connection.Prepare(
            "UPDATE partitions SET next_offset = $next WHERE topic_id = $topic AND partition = $partition",
            "$next", "$topic", "$partition");
    }

    /// <summary>Appends the batch atomically and returns each record's position in input order.</summary>
    public TopicPartitionOffset[] Append(IReadOnlyList<OutgoingRecord> records, long nowMs)
    {
        var count = records.Count;
        if (count == 0)
        {
            return [];
        }
        // Validate and encode before taking the write lock, so the lock is held only for the inserts.
        var keys = new byte[]?[count];
        var headers = new byte[]?[count];
        string? validatedTopic = null;
        for (var i = 0; i < count; i++)
        {
            var record = records[i];
            if (!string.Equals(record.Topic, validatedTopic, StringComparison.Ordinal))
            {
                TopicNameRules.Validate(record.Topic);
                validatedTopic = record.Topic;
            }
            if (record.Partition is < 0)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(records), $"Record {i} names partition {record.Partition}; partitions are numbered from 0.");
            }
            keys[i] = record.Key is null ? null : Encoding.UTF8.GetBytes(record.Key);
            headers[i] = HeaderCodec.Encode(record.Headers);
        }
        return _connection.Write(() => AppendInTransaction(records, keys, headers, nowMs));
    }

    public void Dispose()
    {
        _insert.Dispose(); // finalizes the statement
        _readNext.Dispose();
        _writeNext.Dispose();
    }

    private TopicPartitionOffset[] AppendInTransaction(
        IReadOnlyList<OutgoingRecord> records, byte[]?[] keys, byte[]?[] headers, long nowMs)
    {
        var positions = new TopicPartitionOffset[records.Count];
        var topics = new Dictionary<string, TopicRow>(StringComparer.Ordinal);
        var nextOffsets = new Dictionary<(long TopicId, int Partition), long>();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (!topics.TryGetValue(record.Topic, out var topic))
            {
                topic = Resolve(record.Topic, nowMs);
                topics.Add(record.Topic, topic);
            }
            var key = keys[i];
            var partition = record.Partition
                ?? (key is null ? NextRoundRobin(record.Topic, topic.Partitions) : KeyPartitioner.Partition(key, topic.Partitions));
            if (partition >= topic.Partitions)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(records),
                    $"Record {i} names partition {partition} of topic '{record.Topic}', which has {topic.Partitions} " +
                    $"partitions (0 to {topic.Partitions - 1}). Nothing of the batch was appended.");
            }
            var slot = (topic.TopicId, partition);
            if (!nextOffsets.TryGetValue(slot, out var offset))
            {
                offset = ReadNextOffset(topic.TopicId, partition);
            }
            nextOffsets[slot] = offset + 1;

            Insert(topic.TopicId, partition, offset, nowMs, key, headers[i], record.Value.Span);
            positions[i] = new TopicPartitionOffset(record.Topic, partition, offset);
        }
        foreach (var ((topicId, partition), next) in nextOffsets)
        {
            _writeNext.Parameters[0].Value = next;
            _writeNext.Parameters[1].Value = topicId;
            _writeNext.Parameters[2].Value = partition;
            _writeNext.ExecuteNonQuery();
        }
        return positions;
    }

    private TopicRow Resolve(string topic, long nowMs)
    {
        if (_catalog.Find(topic) is { } row)
        {
            return row;
        }
        if (!_options.AutoCreateTopics)
        {
            throw new JobLogException(
                $"Topic '{topic}' does not exist and automatic topic creation is off (SqliteJobLogOptions.AutoCreateTopics).");
        }
        return _catalog.Ensure(topic, _options.DefaultPartitions, nowMs);
    }

    private long ReadNextOffset(long topicId, int partition)
    {
        _readNext.Parameters[0].Value = topicId;
        _readNext.Parameters[1].Value = partition;
        // A topic row without its partition rows cannot be written by Courier; treat it as a damaged file.
        return _readNext.ExecuteScalar() as long?
            ?? throw new JobLogException(SqliteErrors.NotCourierFile(
                _connection.Path, $"partition {partition} of topic id {topicId} has no partition row"));
    }

    private int NextRoundRobin(string topic, int partitions)
    {
        // Called under the writer lock, so a plain dictionary is enough.
        _roundRobin.TryGetValue(topic, out var counter);
        _roundRobin[topic] = counter + 1;
        return (int)(counter % (uint)partitions);
    }

    private void Insert(long topicId, int partition, long offset, long timestampMs, byte[]? key, byte[]? headers, ReadOnlySpan<byte> value)
    {
        var statement = _insert;
        Check(raw.sqlite3_bind_int64(statement, 1, topicId));
        Check(raw.sqlite3_bind_int(statement, 2, partition));
        Check(raw.sqlite3_bind_int64(statement, 3, offset));
        Check(raw.sqlite3_bind_int64(statement, 4, timestampMs));
        BindBlob(statement, 5, key);
        BindBlob(statement, 6, headers);
        BindBlob(statement, 7, value);
        var result = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE)
        {
            Check(result);
        }
    }

    private void BindBlob(sqlite3_stmt statement, int index, byte[]? blob)
    {
        if (blob is null)
        {
            Check(raw.sqlite3_bind_null(statement, index));
        }
        else
        {
            BindBlob(statement, index, blob.AsSpan());
        }
    }

    private void BindBlob(sqlite3_stmt statement, int index, ReadOnlySpan<byte> blob)
    {
        // An empty span has no address and would bind NULL; an empty key or value is not the same as none.
        Check(blob.IsEmpty ? raw.sqlite3_bind_zeroblob(statement, index, 0) : raw.sqlite3_bind_blob(statement, index, blob));
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _connection.Handle);
        }
    }
}
