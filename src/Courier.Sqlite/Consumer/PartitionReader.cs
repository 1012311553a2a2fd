using System.Text;
using Courier.Sqlite.Records;
using Courier.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Courier.Sqlite.Consumer;

/// <summary>
/// A consumer's assigned partitions as it reads them: positions, pause state, the records buffered ahead of
/// <see cref="IJobLogConsumer.Consume"/>, and the fetch rounds that fill the buffers from the file. Owned by the
/// consumer's thread.
/// </summary>
internal sealed class PartitionReader : IDisposable
{
    private readonly LogConnection _connection;
    private readonly int _maxPrefetch;
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private readonly List<PartitionState> _order = [];
    private readonly List<PartitionState> _fetchCandidates = [];
    private readonly Dictionary<string, long> _topicIds = new(StringComparer.Ordinal);
    private long[] _highWatermarks = new long[16];
    private int _roundRobin;
    private int _buffered;

    private readonly SqliteCommand _findTopic;
    private readonly SqliteCommand _highWatermarkQuery;
    private readonly SqliteCommand _fetch;

    public PartitionReader(LogConnection connection, int maxPrefetch)
    {
        _connection = connection;
        _maxPrefetch = maxPrefetch;
        _findTopic = connection.Prepare("SELECT topic_id FROM topics WHERE name = $name", "$name");
        _highWatermarkQuery = connection.Prepare("SELECT partition, next_offset FROM partitions WHERE topic_id = $topic", "$topic");
        _fetch = connection.Prepare(
            "SELECT record_offset, ts_ms, key, headers, value FROM records " +
            "WHERE topic_id = $topic AND partition = $partition AND record_offset >= $offset ORDER BY record_offset LIMIT $limit",
            "$topic", "$partition", "$offset", "$limit");
    }

    /// <summary>True when a fetch round may find records: something changed, or a partition has more than its last round took.</summary>
    public bool NeedFetch { get; private set; }

    /// <summary>How many partitions are assigned.</summary>
    public int Count => _order.Count;

    // Paused partitions never hold buffered records (Pause drops them, Fetch skips paused partitions), so anything
    // buffered can be delivered.
    public bool HasDeliverable => _buffered > 0;

    /// <summary>Something may have been written: look again on the next round.</summary>
    public void RequestFetch() => NeedFetch = true;

    public bool Contains(TopicPartition partition) => _partitions.ContainsKey(partition);

    /// <summary>The assigned partitions in (topic, partition) order.</summary>
    public TopicPartition[] Snapshot() => _order.Select(p => p.Partition).ToArray();

    public void Add(TopicPartition partition, long offset)
    {
        var state = new PartitionState(partition, offset);
        _partitions.Add(partition, state);
        // Keep (topic, partition) order so a fetch round reads each topic's watermarks once.
        var index = _order.FindIndex(p => Compare(p.Partition, partition) > 0);
        _order.Insert(index < 0 ? _order.Count : index, state);
    }

    public void Remove(TopicPartition partition)
    {
        if (_partitions.Remove(partition, out var state))
        {
            _buffered -= state.Buffer.Count;
            _order.Remove(state);
        }
    }

    public void RemoveAll()
    {
        foreach (var state in _order.ToArray())
        {
            Remove(state.Partition);
        }
    }

    /// <summary>Moves an assigned partition's position; false when it is not assigned.</summary>
    public bool TrySeek(TopicPartition partition, long offset)
    {
        if (!_partitions.TryGetValue(partition, out var state))
        {
            return false;
        }
        Seek(state, offset);
        return true;
    }

    /// <summary>Pauses the partition if it is assigned and not paused.</summary>
    public void Pause(TopicPartition partition)
    {
        if (_partitions.TryGetValue(partition, out var state) && !state.Paused)
        {
            state.Paused = true;
            // Drop what is buffered and fetch it again on resume: paused partitions hold no memory.
            Seek(state, state.Position);
        }
    }

    /// <summary>Resumes the partition if it is assigned and paused.</summary>
    public void Resume(TopicPartition partition)
    {
        if (_partitions.TryGetValue(partition, out var state) && state.Paused)
        {
            state.Paused = false;
            NeedFetch = true;
        }
    }

    /// <summary>Takes one record, rotating over partitions so one busy partition cannot starve the others.</summary>
    public bool TryTake(out LogRecord record)
    {
        var count = _order.Count;
        for (var i = 0; i < count; i++)
        {
            var index = (_roundRobin + i) % count;
            var state = _order[index];
            if (!state.Paused && state.Buffer.TryDequeue(out var next))
            {
                _buffered--;
                _roundRobin = index + 1;
                record = next;
                return true;
            }
        }
        record = null!;
        return false;
    }

    /// <summary>
    /// One fetch round in one read transaction: the watermarks of each topic, then up to a fair share of the prefetch
    /// budget from every unpaused partition with an empty buffer and records beyond its position.
    /// </summary>
    public void Fetch()
    {
        NeedFetch = false;
        _fetchCandidates.Clear();
        foreach (var state in _order)
        {
            if (!state.Paused && state.Buffer.Count == 0)
            {
                _fetchCandidates.Add(state);
            }
        }
        if (_fetchCandidates.Count == 0)
        {
            return;
        }
        var limit = Math.Max(1, (_maxPrefetch - _buffered) / _fetchCandidates.Count);
        _connection.Read(() =>
        {
            string? topic = null;
            long topicId = -1;
            foreach (var state in _fetchCandidates)
            {
                if (!string.Equals(state.Partition.Topic, topic, StringComparison.Ordinal))
                {
                    topic = state.Partition.Topic;
                    topicId = LoadHighWatermarks(topic);
                }
                var partition = state.Partition.Partition;
                if (topicId < 0 || partition >= _highWatermarks.Length)
                {
                    continue;
                }
                var high = _highWatermarks[partition];
                if (state.FetchOffset >= high)
                {
                    continue;
                }
                FetchPartition(state, topicId, limit);
                if (state.FetchOffset < high)
                {
                    NeedFetch = true;
                }
            }
            return 0;
        });
    }

    public void Dispose()
    {
        _findTopic.Dispose();
        _highWatermarkQuery.Dispose();
        _fetch.Dispose();
    }

    private void Seek(PartitionState state, long offset)
    {
        _buffered -= state.Buffer.Count;
        state.Buffer.Clear();
        state.FetchOffset = offset;
        NeedFetch = true;
    }

    /// <summary>Fills <see cref="_highWatermarks"/> for the topic (-1 for missing partitions); returns its id or -1.</summary>
    private long LoadHighWatermarks(string topic)
    {
        if (!_topicIds.TryGetValue(topic, out var topicId))
        {
            _findTopic.Parameters[0].Value = topic;
            if (_findTopic.ExecuteScalar() is not long id)
            {
                return -1;
            }
            topicId = id;
            _topicIds[topic] = id;
        }
        Array.Fill(_highWatermarks, -1);
        _highWatermarkQuery.Parameters[0].Value = topicId;
        using var reader = _highWatermarkQuery.ExecuteReader();
        while (reader.Read())
        {
            var partition = reader.GetInt32(0);
            if (partition >= _highWatermarks.Length)
            {
                var grown = new long[Math.Max(partition + 1, _highWatermarks.Length * 2)];
                Array.Fill(grown, -1);
                Array.Copy(_highWatermarks, grown, _highWatermarks.Length);
                _highWatermarks = grown;
            }
            _highWatermarks[partition] = reader.GetInt64(1);
        }
        return topicId;
    }

    private void FetchPartition(PartitionState state, long topicId, int limit)
    {
        var parameters = _fetch.Parameters;
        parameters[0].Value = topicId;
        parameters[1].Value = state.Partition.Partition;
        parameters[2].Value = state.FetchOffset;
        parameters[3].Value = limit;
        var topic = state.Partition.Topic;
        var partition = state.Partition.Partition;
        using var reader = _fetch.ExecuteReader();
        while (reader.Read())
        {
            var offset = reader.GetInt64(0);
            var record = new LogRecord
            {
                Topic = topic,
                Partition = partition,
                Offset = offset,
                Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Key = reader.IsDBNull(2) ? null : Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(2)),
                Headers = reader.IsDBNull(3) ? [] : HeaderCodec.Decode(reader.GetFieldValue<byte[]>(3)),
                Value = reader.GetFieldValue<byte[]>(4),
            };
            state.Buffer.Enqueue(record);
            state.FetchOffset = offset + 1;
            _buffered++;
        }
    }

    private static int Compare(TopicPartition a, TopicPartition b)
    {
        var byTopic = string.CompareOrdinal(a.Topic, b.Topic);
        return byTopic != 0 ? byTopic : a.Partition.CompareTo(b.Partition);
    }
}
