using System.Text.Json;
using Courier.Files;
using Courier.Log;
using Courier.Sqlite.Consumer;
using Courier.Sqlite.Groups;
using Courier.Sqlite.Records;
using Courier.Sqlite.Storage;
using Courier.Sqlite.Telemetry;
using Courier.Sqlite.Topics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Courier;

/// <summary>
/// The embedded job log: Kafka's model (topics, partitions, dense offsets, consumer groups, committed offsets) in one
/// SQLite file. Several processes on one machine may use the same file at once — say an application that enqueues
/// and a dispatcher that consumes — as may any number of producers and consumers in one process.
/// </summary>
/// <remarks>
/// The file uses WAL journaling with synchronous=NORMAL: committed appends and offsets survive a crash of any process
/// (kill -9); a power loss may lose the last transactions but does not corrupt the file. Records are kept forever for
/// now (the low watermark is always 0).
/// </remarks>
public sealed class SqliteJobLog : IJobLog
{
    private readonly SqliteJobLogOptions _options;
    private readonly LogConnection _writer;
    private readonly TopicCatalog _catalog;
    private readonly RecordWriter _records;
    private readonly SqliteCommand _listTopics;
    private readonly SqliteCommand _watermarks;
    private readonly SqliteCommand _committed;
    private readonly SqliteCommand _listGroups;
    private readonly SqliteCommand _members;
    private readonly SqliteCommand _owners;
    // One writer connection serves producers and admin calls in turn; SQLite admits one writer at a time anyway.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _signalsLock = new();
    private WakeSignal[] _signals = [];
    private bool _disposed;

    private SqliteJobLog(string path, SqliteJobLogOptions options, LogConnection writer)
    {
        Path = path;
        _options = options;
        _writer = writer;
        Liveness = new MemberLiveness(options.TimeProvider);
        _catalog = new TopicCatalog(writer);
        _records = new RecordWriter(writer, _catalog, options);
        _listTopics = writer.Prepare("SELECT name, partitions FROM topics ORDER BY name");
        _watermarks = writer.Prepare(
            "SELECT t.name, p.partition, p.next_offset FROM partitions p JOIN topics t ON t.topic_id = p.topic_id " +
            "WHERE t.name IN (SELECT value FROM json_each($topics))",
            "$topics");
        _committed = writer.Prepare(
            "SELECT committed_offset FROM committed_offsets WHERE group_id = $group AND topic = $topic AND partition = $partition",
            "$group", "$topic", "$partition");
        _listGroups = writer.Prepare(
            "SELECT group_id FROM group_members UNION SELECT group_id FROM committed_offsets ORDER BY 1");
        _members = writer.Prepare(
            "SELECT member_id, client_id, subscription, heartbeat_ms FROM group_members WHERE group_id = $group ORDER BY member_id",
            "$group");
        _owners = writer.Prepare(
            "SELECT member_id, topic, partition FROM partition_owners WHERE group_id = $group ORDER BY topic, partition",
            "$group");
    }

    /// <summary>Full path of the data file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string EngineName => "sqlite";

    /// <summary>Tells group members whose process has ended; shared by this instance's consumers.</summary>
    internal MemberLiveness Liveness { get; }

    /// <summary>
    /// Opens the log in <paramref name="path"/> (a file), creating the directory and the file if they are missing.
    /// </summary>
    /// <exception cref="JobLogException">
    /// The path is a directory, is not a Courier data file (another SQLite database, random bytes, a corrupt file), was
    /// written by a newer Courier, cannot be opened or written (permissions), or stays locked beyond the busy timeout.
    /// </exception>
    public static SqliteJobLog Open(string path, SqliteJobLogOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options = (options ?? new SqliteJobLogOptions()).Copy();
        options.Validate();
        var fullPath = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new JobLogException(
                $"{fullPath} is a directory, not a Courier data file; give the path of a file such as " +
                $"{System.IO.Path.Combine(fullPath, "courier.db")}.");
        }
        PrepareFile(fullPath);
        LogConnection? writer = null;
        try
        {
            writer = LogConnection.Open(fullPath, options.BusyTimeout);
            SqliteSchema.Ensure(writer);
            var log = new SqliteJobLog(fullPath, options, writer);
            SqliteLogMessages.Opened(options.LoggerFactory.CreateLogger<SqliteJobLog>(), fullPath, SqliteSchema.Version);
            return log;
        }
        catch (SqliteException ex)
        {
            writer?.Dispose();
            throw SqliteErrors.Translate(ex, fullPath, "open", options.BusyTimeout);
        }
        catch
        {
            writer?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask EnsureTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default)
    {
        TopicNameRules.Validate(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        await UseWriterAsync("create topic", () => _writer.Write(() => _catalog.Ensure(topic, partitions, NowMs())), cancellationToken);
        Signal();
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default) =>
        UseWriterAsync<IReadOnlyList<TopicDescription>>("list topics", () =>
        {
            var topics = new List<TopicDescription>();
            using var reader = _listTopics.ExecuteReader();
            while (reader.Read())
            {
                topics.Add(new TopicDescription(reader.GetString(0), reader.GetInt32(1)));
            }
            return topics;
        }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask<PartitionWatermarks> GetWatermarksAsync(TopicPartition partition, CancellationToken cancellationToken = default) =>
        PartitionWatermarks.Of(await GetWatermarksAsync([partition], cancellationToken), partition);

    /// <inheritdoc />
    /// <remarks>One query over the requested topics' partitions; the low watermark is always 0 (nothing is deleted).</remarks>
    public ValueTask<IReadOnlyDictionary<TopicPartition, PartitionWatermarks>> GetWatermarksAsync(
        IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var wanted = partitions.ToHashSet();
        var topics = JsonSerializer.Serialize(wanted.Select(p => p.Topic).Distinct(StringComparer.Ordinal).ToArray());
        return UseWriterAsync<IReadOnlyDictionary<TopicPartition, PartitionWatermarks>>("read watermarks", () =>
        {
            var result = new Dictionary<TopicPartition, PartitionWatermarks>(wanted.Count);
            if (wanted.Count == 0)
            {
                return result;
            }
            _watermarks.Parameters[0].Value = topics;
            using var reader = _watermarks.ExecuteReader();
            while (reader.Read())
            {
                var partition = new TopicPartition(reader.GetString(0), reader.GetInt32(1));
                if (wanted.Contains(partition))
                {
                    result[partition] = new PartitionWatermarks(0, reader.GetInt64(2));
                }
            }
            return result;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedOffsetsAsync(
        string groupId, IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        ArgumentNullException.ThrowIfNull(partitions);
        return UseWriterAsync<IReadOnlyDictionary<TopicPartition, long>>("read committed offsets", () => _writer.Read(() =>
        {
            var result = new Dictionary<TopicPartition, long>();
            _committed.Parameters[0].Value = groupId;
            foreach (var partition in partitions)
            {
                _committed.Parameters[1].Value = partition.Topic;
                _committed.Parameters[2].Value = partition.Partition;
                if (_committed.ExecuteScalar() is long offset)
                {
                    result[partition] = offset;
                }
            }
            return result;
        }), cancellationToken);
    }

    /// <summary>Consumer groups that have live members or committed offsets, by name.</summary>
    public ValueTask<IReadOnlyList<string>> ListGroupsAsync(CancellationToken cancellationToken = default) =>
        UseWriterAsync<IReadOnlyList<string>>("list consumer groups", () =>
        {
            var groups = new List<string>();
            using var reader = _listGroups.ExecuteReader();
            while (reader.Read())
            {
                groups.Add(reader.GetString(0));
            }
            return groups;
        }, cancellationToken);

    /// <summary>
    /// Members of a consumer group with their partitions. Members that stopped without leaving are listed until another
    /// member notices: at once when their process on this machine has ended, otherwise when their heartbeat is older
    /// than the session timeout.
    /// </summary>
    public ValueTask<IReadOnlyList<SqliteGroupMember>> DescribeGroupAsync(string groupId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        return UseWriterAsync<IReadOnlyList<SqliteGroupMember>>("describe consumer group", () => _writer.Read(() =>
        {
            var owned = new Dictionary<string, List<TopicPartition>>(StringComparer.Ordinal);
            _owners.Parameters[0].Value = groupId;
            using (var reader = _owners.ExecuteReader())
            {
                while (reader.Read())
                {
                    var member = reader.GetString(0);
                    if (!owned.TryGetValue(member, out var list))
                    {
                        owned[member] = list = [];
                    }
                    list.Add(new TopicPartition(reader.GetString(1), reader.GetInt32(2)));
                }
            }
            var members = new List<SqliteGroupMember>();
            _members.Parameters[0].Value = groupId;
            using (var reader = _members.ExecuteReader())
            {
                while (reader.Read())
                {
                    var memberId = reader.GetString(0);
                    members.Add(new SqliteGroupMember(
                        memberId,
                        reader.GetString(1),
                        reader.GetString(2).Split('\n', StringSplitOptions.RemoveEmptyEntries),
                        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                        owned.TryGetValue(memberId, out var partitions) ? partitions : []));
                }
            }
            return members;
        }), cancellationToken);
    }

    /// <inheritdoc />
    public IJobLogProducer CreateProducer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SqliteJobLogProducer(this);
    }

    /// <inheritdoc />
    public IJobLogConsumer CreateConsumer(JobLogConsumerOptions options)
    {
        JobLogConsumerBase.CheckOptions(options);
        ObjectDisposedException.ThrowIf(_disposed, this);
        LogConnection? connection = null;
        try
        {
            connection = LogConnection.Open(Path, _options.BusyTimeout);
            return new SqliteJobLogConsumer(this, options, _options, connection);
        }
        catch (SqliteException ex)
        {
            connection?.Dispose();
            throw SqliteErrors.Translate(ex, Path, "create consumer", _options.BusyTimeout);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>Closes the writer connection. Dispose consumers first; they hold connections of their own.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            _records.Dispose();
            _catalog.Dispose();
            _listTopics.Dispose();
            _watermarks.Dispose();
            _committed.Dispose();
            _listGroups.Dispose();
            _members.Dispose();
            _owners.Dispose();
            _writer.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    internal async ValueTask<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(
        IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var positions = await UseWriterAsync("produce", () => _records.Append(records, NowMs()), cancellationToken);
        if (positions.Length > 0)
        {
            Signal();
        }
        return positions;
    }

    /// <summary>Wakes every consumer of this instance: something was written (records, topics, group rows).</summary>
    internal void Signal()
    {
        foreach (var signal in Volatile.Read(ref _signals))
        {
            signal.Set();
        }
    }

    internal void Register(WakeSignal signal)
    {
        lock (_signalsLock)
        {
            _signals = [.. _signals, signal];
        }
    }

    internal void Unregister(WakeSignal signal)
    {
        lock (_signalsLock)
        {
            _signals = _signals.Where(s => !ReferenceEquals(s, signal)).ToArray();
        }
    }

    private long NowMs() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private async ValueTask<T> UseWriterAsync<T>(string operation, Func<T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!_gate.Wait(0, CancellationToken.None))
        {
            await _gate.WaitAsync(cancellationToken);
        }
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work();
        }
        catch (SqliteException ex)
        {
            throw _writer.Translate(ex, operation);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void PrepareFile(string fullPath)
    {
        try
        {
            // Owner-only (0600, its WAL and shared-memory files too): the log holds every job's parameters.
            PrivateFiles.PrepareDatabase(fullPath);
            if (File.Exists(fullPath))
            {
                // SQLite silently opens a write-protected file read-only and fails only at the first write; check up front
                // so the error names the real problem.
                using var probe = new FileStream(fullPath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new JobLogException($"cannot open {fullPath} for reading and writing: permission denied.", ex);
        }
        catch (IOException ex)
        {
            throw new JobLogException($"cannot open {fullPath}: {ex.Message}", ex);
        }
    }
}
