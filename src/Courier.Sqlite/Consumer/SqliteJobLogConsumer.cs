using Courier.Log;
using Courier.Sqlite.Groups;
using Courier.Sqlite.Records;
using Courier.Sqlite.Storage;
using Courier.Sqlite.Telemetry;
using Courier.Sqlite.Topics;
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Courier.Sqlite.Consumer;

/// <summary>
/// A consumer of the SQLite job log. Group membership works through rows that every member reads and writes in short
/// write transactions:
/// <list type="bullet">
/// <item><c>group_members</c>: one row per live member with its subscription, last heartbeat and process (host, pid,
/// start). A member is removed, with its ownerships, by whichever member notices first that its heartbeat is older than
/// the session timeout, or that its process on this machine has ended (<see cref="MemberLiveness"/>; checked on every
/// sync and every <see cref="ProcessCheckIntervalMs"/> between them) — so a process killed with kill -9 hands its
/// partitions over at once, while a hung one still has the session timeout to recover.</item>
/// <item><c>partition_owners</c>: who reads which partition. A member only reads partitions it owns, only takes a
/// partition that has no owner, and deletes its ownership only after its PartitionsRevoked callback has returned — so
/// two live members never read one partition at once, and the old owner drains and commits before the new one starts.</item>
/// <item><c>consumer_groups.generation</c>: bumped on every membership or ownership change, so members notice a
/// rebalance with one cheap read.</item>
/// </list>
/// Every member computes the target assignment with <see cref="PartitionAssignor"/> from the same rows, gives up what
/// is not its own any more and takes what is free; a rebalance therefore moves only the partitions that change hands.
/// </summary>
internal sealed class SqliteJobLogConsumer : JobLogConsumerBase
{
    /// <summary>
    /// How often a member looks for members whose process has ended, between syncs. One read of the member rows and one
    /// process lookup (a /proc read on Linux) per other process on this host; often enough that a killed member's
    /// partitions move within a second.
    /// </summary>
    internal const long ProcessCheckIntervalMs = 500;

    private readonly SqliteJobLog _log;
    private readonly SqliteJobLogOptions _logOptions;
    private readonly MemberLiveness _liveness;
    private readonly LogConnection _connection;
    private readonly WakeSignal _wake = new();
    private readonly ILogger _logger;
    private readonly string _memberId;
    private readonly long _sessionTimeoutMs;
    private readonly long _heartbeatIntervalMs;

    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private readonly List<PartitionState> _order = [];
    private readonly List<PartitionState> _fetchCandidates = [];
    private readonly Dictionary<string, long> _topicIds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TopicSubscription> _parsedSubscriptions = new(StringComparer.Ordinal);
    private long[] _highWatermarks = new long[16];
    private int _roundRobin;
    private int _buffered;

    private TopicSubscription? _subscription;
    private bool _joined;
    private bool _syncRequested;
    private long _nextHeartbeatMs;
    private long _nextProcessCheckMs;
    private long _seenGeneration = -1;
    private (long Count, long Partitions) _seenTopics = (-1, -1);
    private bool _needFetch;
    private long _dataVersion = -1;
    private long _lastCheckTicks;

    // Fetch path.
    private readonly SqliteCommand _dataVersionQuery;
    private readonly SqliteCommand _findTopic;
    private readonly SqliteCommand _highWatermarkQuery;
    private readonly SqliteCommand _fetch;

    // Group path; null without a group id.
    private readonly GroupCommands? _group;

    public SqliteJobLogConsumer(SqliteJobLog log, JobLogConsumerOptions options, SqliteJobLogOptions logOptions, LogConnection connection)
        : base(options)
    {
        _log = log;
        _logOptions = logOptions;
        _liveness = log.Liveness;
        _connection = connection;
        _logger = logOptions.LoggerFactory.CreateLogger<SqliteJobLog>();
        _memberId = $"{options.ClientId}/{Guid.NewGuid():N}";
        _sessionTimeoutMs = Math.Max(1, (long)logOptions.SessionTimeout.TotalMilliseconds);
        // Five heartbeats per session: one late or slow heartbeat does not cost the membership.
        _heartbeatIntervalMs = Math.Max(1, _sessionTimeoutMs / 5);

        _dataVersionQuery = connection.Prepare("PRAGMA data_version");
        _findTopic = connection.Prepare("SELECT topic_id FROM topics WHERE name = $name", "$name");
        _highWatermarkQuery = connection.Prepare("SELECT partition, next_offset FROM partitions WHERE topic_id = $topic", "$topic");
        _fetch = connection.Prepare(
            "SELECT record_offset, ts_ms, key, headers, value FROM records " +
            "WHERE topic_id = $topic AND partition = $partition AND record_offset >= $offset ORDER BY record_offset LIMIT $limit",
            "$topic", "$partition", "$offset", "$limit");
        _group = options.GroupId is null ? null : new GroupCommands(connection);
        log.Register(_wake);
    }

    protected override bool HasGroup => _group is not null;

    protected override bool IsAssigned(TopicPartition partition) => _partitions.ContainsKey(partition);

    protected override TopicPartition[] SnapshotAssignment() => _order.Select(p => p.Partition).ToArray();

    protected override void ValidateTopic(string topic) => TopicNameRules.Validate(topic);

    protected override void SubscribeCore(IReadOnlyCollection<string> topics) => _subscription = TopicSubscription.Create(topics);

    protected override void OnSubscribed()
    {
        // Join at once, so members already in the group start handing partitions over before our first Consume.
        Guard("join the consumer group", Register);
        SqliteLogMessages.Joined(_logger, _memberId, GroupId!, _subscription!.Text.Replace('\n', ','));
    }

    protected override void AssignCore(IReadOnlyCollection<TopicPartitionOffset> partitions)
    {
        foreach (var state in _order.ToArray())
        {
            RemoveLocal(state.Partition);
        }
        foreach (var position in partitions)
        {
            if (_partitions.TryGetValue(position.TopicPartition, out var existing))
            {
                Seek(existing, position.Offset);
            }
            else
            {
                AddLocal(position.TopicPartition, position.Offset);
            }
        }
        _needFetch = true;
    }

    protected override LogRecord? ConsumeCore(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Mode == ConsumerMode.Subscribed)
                {
                    var now = NowMs();
                    if (!_syncRequested && now >= _nextProcessCheckMs && now < _nextHeartbeatMs)
                    {
                        _syncRequested = LocalMemberProcessEnded(now);
                    }
                    if (_syncRequested || now >= _nextHeartbeatMs)
                    {
                        Sync();
                    }
                }
                // Look for changes when there is nothing to hand out, and at least every poll interval while busy so
                // that a rebalance is not held up by a full buffer.
                var deliverable = HasDeliverable();
                if (!deliverable || Stopwatch.GetElapsedTime(_lastCheckTicks) >= _logOptions.PollInterval)
                {
                    CheckForChanges();
                }
                if (TryTake(out var record))
                {
                    return record;
                }
                if (_needFetch)
                {
                    Fetch();
                    if (TryTake(out record))
                    {
                        return record;
                    }
                    if (_needFetch)
                    {
                        // More is waiting in partitions whose turn comes in the next round.
                        continue;
                    }
                }
                TimeSpan wait;
                if (timeout == Timeout.InfiniteTimeSpan)
                {
                    wait = _logOptions.PollInterval;
                }
                else
                {
                    var remaining = timeout - Stopwatch.GetElapsedTime(start);
                    if (remaining <= TimeSpan.Zero)
                    {
                        return null;
                    }
                    wait = remaining < _logOptions.PollInterval ? remaining : _logOptions.PollInterval;
                }
                _wake.Wait(wait, cancellationToken);
            }
        }
        catch (SqliteException ex)
        {
            throw _connection.Translate(ex, "consume");
        }
    }

    protected override void SeekCore(TopicPartitionOffset position) => Seek(_partitions[position.TopicPartition], position.Offset);

    protected override void PauseCore(IReadOnlyCollection<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (_partitions.TryGetValue(partition, out var state) && !state.Paused)
            {
                state.Paused = true;
                // Drop what is buffered and fetch it again on resume: paused partitions hold no memory.
                Seek(state, state.Position);
            }
        }
    }

    protected override void ResumeCore(IReadOnlyCollection<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            if (_partitions.TryGetValue(partition, out var state) && state.Paused)
            {
                state.Paused = false;
                _needFetch = true;
            }
        }
    }

    protected override void CommitCore(IReadOnlyCollection<TopicPartitionOffset> offsets) => CommitValidated(_group!, GroupId!, offsets);

    protected override void StoreOffsetsCore(IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        // A commit is one short local write transaction, as cheap as remembering the offsets for later: stored is
        // committed, and nothing is left for a background commit or Close to do.
        CommitValidated(_group!, GroupId!, offsets);
    }

    private void CommitValidated(GroupCommands group, string groupId, IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        var now = NowMs();
        var checkOwnership = Mode == ConsumerMode.Subscribed && _joined;
        Guard("commit offsets", () => _connection.Write(() =>
        {
            if (checkOwnership)
            {
                // A member that lost its membership must not move offsets that a new owner is now advancing.
                if (Bind(group.MemberHeartbeat, groupId, _memberId).ExecuteScalar() is null)
                {
                    throw new JobLogException(
                        $"Commit rejected: consumer {_memberId} is no longer a member of group '{groupId}' (no heartbeat " +
                        $"within the session timeout of {_logOptions.SessionTimeout.TotalSeconds:0.###} s); its partitions were reassigned.");
                }
                foreach (var offset in offsets)
                {
                    var owner = Bind(group.Owner, groupId, offset.Topic, offset.Partition).ExecuteScalar() as string;
                    if (!string.Equals(owner, _memberId, StringComparison.Ordinal))
                    {
                        throw new JobLogException(
                            $"Commit rejected: {offset.TopicPartition} is not assigned to consumer {_memberId} in group '{groupId}'" +
                            (owner is null ? "." : $" (it belongs to {owner})."));
                    }
                }
            }
            foreach (var offset in offsets)
            {
                Bind(group.UpsertCommitted, groupId, offset.Topic, offset.Partition, offset.Offset, now).ExecuteNonQuery();
            }
            return 0;
        }));
    }

    protected override void CloseCore()
    {
        if (Mode != ConsumerMode.Subscribed || !_joined)
        {
            return;
        }
        var assigned = Assignment.ToArray();
        try
        {
            if (assigned.Length > 0)
            {
                SqliteLogMessages.PartitionsRevoked(_logger, _memberId, GroupId!, Describe(assigned));
                RaisePartitionsRevoked(assigned);
            }
        }
        finally
        {
            Guard("leave the consumer group", LeaveGroup);
        }
    }

    protected override void LeaveWithoutCallbacks()
    {
        if (!_joined)
        {
            return;
        }
        try
        {
            LeaveGroup();
        }
        catch (SqliteException)
        {
            // The member row then simply expires after the session timeout.
        }
    }

    protected override void ReleaseResources()
    {
        _log.Unregister(_wake);
        _group?.Dispose();
        _dataVersionQuery.Dispose();
        _findTopic.Dispose();
        _highWatermarkQuery.Dispose();
        _fetch.Dispose();
        _connection.Dispose();
        _wake.Dispose();
    }

    // ---- change detection -------------------------------------------------------------------------------------

    private void CheckForChanges()
    {
        // Reset before looking, so a write signalled after this point wakes the wait that may follow.
        _wake.Reset();
        _lastCheckTicks = Stopwatch.GetTimestamp();
        var changed = _wake.TakeFlag();
        // data_version changes whenever another connection (any process) committed; it costs no table read.
        var dataVersion = (long)_dataVersionQuery.ExecuteScalar()!;
        if (dataVersion != _dataVersion)
        {
            _dataVersion = dataVersion;
            changed = true;
        }
        if (!changed)
        {
            return;
        }
        _needFetch = true;
        if (Mode == ConsumerMode.Subscribed && GroupOrTopicsChanged())
        {
            Sync();
        }
    }

    private bool GroupOrTopicsChanged()
    {
        using var reader = Bind(_group!.GroupState, GroupId!).ExecuteReader();
        reader.Read();
        var generation = reader.IsDBNull(0) ? -1 : reader.GetInt64(0);
        var topics = (reader.GetInt64(1), reader.GetInt64(2));
        return generation != _seenGeneration || topics != _seenTopics;
    }

    // ---- group membership -----------------------------------------------------------------------------------

    private void Register()
    {
        var group = _group!;
        var now = NowMs();
        _connection.Write(() =>
        {
            Bind(group.EnsureGroup, GroupId!).ExecuteNonQuery();
            UpsertSelf(group, GroupId!, now);
            Bind(group.BumpGeneration, GroupId!).ExecuteNonQuery();
            return 0;
        });
        _joined = true;
        _syncRequested = true;
        _log.Signal();
    }

    private void LeaveGroup()
    {
        var group = _group!;
        _connection.Write(() =>
        {
            Bind(group.DeleteMemberOwners, GroupId!, _memberId).ExecuteNonQuery();
            Bind(group.DeleteMember, GroupId!, _memberId).ExecuteNonQuery();
            Bind(group.BumpGeneration, GroupId!).ExecuteNonQuery();
            return 0;
        });
        _joined = false;
        SqliteLogMessages.Left(_logger, _memberId, GroupId!);
        _log.Signal();
    }

    /// <summary>Heartbeats, expires dead members, and moves this member toward its target assignment.</summary>
    private void Sync()
    {
        var now = NowMs();
        var plan = _connection.Write(() => Plan(now));
        _joined = true;
        _syncRequested = false;
        _nextHeartbeatMs = now + _heartbeatIntervalMs;
        // The sync just looked at every member's process.
        _nextProcessCheckMs = now + ProcessCheckIntervalMs;
        _seenGeneration = plan.Generation;
        _seenTopics = plan.Topics;
        foreach (var expired in plan.Expired)
        {
            SqliteLogMessages.MemberExpired(_logger, GroupId!, expired);
        }
        foreach (var (exited, pid) in plan.Exited)
        {
            SqliteLogMessages.MemberProcessEnded(_logger, GroupId!, exited, pid);
        }
        if (plan.Changed)
        {
            _log.Signal();
        }

        if (plan.Fenced && _order.Count > 0)
        {
            var lost = Assignment.ToArray();
            SqliteLogMessages.MembershipLost(_logger, _memberId, GroupId!, Describe(lost));
            try
            {
                RaisePartitionsRevoked(lost);
            }
            finally
            {
                foreach (var partition in lost)
                {
                    RemoveLocal(partition);
                }
            }
        }

        if (plan.Release.Count > 0)
        {
            var held = plan.Release.Where(_partitions.ContainsKey).ToArray();
            try
            {
                if (held.Length > 0)
                {
                    SqliteLogMessages.PartitionsRevoked(_logger, _memberId, GroupId!, Describe(held));
                    RaisePartitionsRevoked(held);
                }
            }
            finally
            {
                // Ownership goes only after the callback has drained and committed; then another member may read.
                ReleaseOwnership(plan.Release);
                foreach (var partition in held)
                {
                    RemoveLocal(partition);
                }
            }
        }

        if (plan.Acquired.Count > 0)
        {
            foreach (var partition in plan.Acquired)
            {
                AddLocal(partition, plan.StartOffsets[partition]);
            }
            _needFetch = true;
            SqliteLogMessages.PartitionsAssigned(_logger, _memberId, GroupId!, Describe(plan.Acquired));
            RaisePartitionsAssigned(plan.Acquired.ToArray());
        }
    }

    private SyncPlan Plan(long now)
    {
        var group = _group!;
        var groupId = GroupId!;
        var plan = new SyncPlan();
        var heartbeat = Bind(group.MemberHeartbeat, groupId, _memberId).ExecuteScalar();
        plan.Fenced = _joined && heartbeat is null;
        plan.Changed = heartbeat is null;
        Bind(group.EnsureGroup, groupId).ExecuteNonQuery();
        UpsertSelf(group, groupId, now);

        var cutoff = now - _sessionTimeoutMs;
        using (var reader = Bind(group.OtherMembers, groupId, _memberId).ExecuteReader())
        {
            while (reader.Read())
            {
                var memberId = reader.GetString(0);
                if (reader.GetInt64(1) < cutoff)
                {
                    plan.Expired.Add(memberId);
                }
                else if (_liveness.HasExited(reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4)))
                {
                    plan.Exited.Add((memberId, reader.GetInt64(3)));
                }
            }
        }
        if (plan.Expired.Count > 0 || plan.Exited.Count > 0)
        {
            foreach (var memberId in plan.Expired.Concat(plan.Exited.Select(e => e.MemberId)))
            {
                Bind(group.DeleteMember, groupId, memberId).ExecuteNonQuery();
            }
            Bind(group.DeleteOrphanOwners, groupId).ExecuteNonQuery();
            plan.Changed = true;
        }

        var members = new List<(string MemberId, TopicSubscription Subscription)>();
        using (var reader = Bind(group.Members, groupId).ExecuteReader())
        {
            while (reader.Read())
            {
                members.Add((reader.GetString(0), ParseSubscription(reader.GetString(1))));
            }
        }
        var topics = new List<TopicDescription>();
        long partitionTotal = 0;
        using (var reader = group.Topics.ExecuteReader())
        {
            while (reader.Read())
            {
                var description = new TopicDescription(reader.GetString(0), reader.GetInt32(1));
                topics.Add(description);
                partitionTotal += description.Partitions;
            }
        }
        plan.Topics = (topics.Count, partitionTotal);

        var target = PartitionAssignor.Assign(members, topics)[_memberId];
        var targetSet = target.ToHashSet();
        var owners = new Dictionary<TopicPartition, string>();
        using (var reader = Bind(group.Owners, groupId).ExecuteReader())
        {
            while (reader.Read())
            {
                owners[new TopicPartition(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
            }
        }
        foreach (var (partition, owner) in owners)
        {
            if (string.Equals(owner, _memberId, StringComparison.Ordinal) && !targetSet.Contains(partition))
            {
                plan.Release.Add(partition);
            }
        }
        foreach (var partition in target)
        {
            if (owners.ContainsKey(partition))
            {
                // Ours already, or still another member's: that member gives it up on its next sync.
                continue;
            }
            Bind(group.InsertOwner, groupId, partition.Topic, partition.Partition, _memberId, now).ExecuteNonQuery();
            var committed = Bind(group.Committed, groupId, partition.Topic, partition.Partition).ExecuteScalar() as long?;
            plan.Acquired.Add(partition);
            // No commit: start at the earliest record (offset 0 while the log keeps everything).
            plan.StartOffsets[partition] = committed ?? 0;
            plan.Changed = true;
        }
        if (plan.Changed)
        {
            Bind(group.BumpGeneration, groupId).ExecuteNonQuery();
        }
        plan.Generation = (long)Bind(group.Generation, groupId).ExecuteScalar()!;
        return plan;
    }

    private void UpsertSelf(GroupCommands group, string groupId, long now)
    {
        var self = _liveness.Self;
        Bind(group.UpsertMember, groupId, _memberId, Options.ClientId, _subscription!.Text, now, self.Host, self.Pid, self.Start)
            .ExecuteNonQuery();
    }

    /// <summary>
    /// Whether another member on this host has lost its process (one read, no write lock). Only a hint: the sync it
    /// triggers decides again inside its write transaction.
    /// </summary>
    private bool LocalMemberProcessEnded(long now)
    {
        _nextProcessCheckMs = now + ProcessCheckIntervalMs;
        var host = _liveness.Self.Host;
        if (!_joined || host.Length == 0)
        {
            return false;
        }
        using var reader = Bind(_group!.OtherLocalMembers, GroupId!, host, _memberId).ExecuteReader();
        while (reader.Read())
        {
            if (_liveness.HasExited(host, reader.GetInt64(0), reader.GetInt64(1)))
            {
                return true;
            }
        }
        return false;
    }

    private void ReleaseOwnership(IReadOnlyList<TopicPartition> partitions)
    {
        var group = _group!;
        Guard("hand over partitions", () => _connection.Write(() =>
        {
            foreach (var partition in partitions)
            {
                Bind(group.DeleteOwner, GroupId!, partition.Topic, partition.Partition, _memberId).ExecuteNonQuery();
            }
            var before = (long)Bind(group.Generation, GroupId!).ExecuteScalar()!;
            Bind(group.BumpGeneration, GroupId!).ExecuteNonQuery();
            if (before == _seenGeneration)
            {
                // Only our own change happened since the last sync; anything else must still be noticed.
                _seenGeneration = before + 1;
            }
            return 0;
        }));
        _log.Signal();
    }

    private TopicSubscription ParseSubscription(string text)
    {
        if (!_parsedSubscriptions.TryGetValue(text, out var subscription))
        {
            subscription = TopicSubscription.Parse(text);
            _parsedSubscriptions[text] = subscription;
        }
        return subscription;
    }

    // ---- local partition state and fetching --------------------------------------------------------------------

    private void AddLocal(TopicPartition partition, long offset)
    {
        var state = new PartitionState(partition, offset);
        _partitions.Add(partition, state);
        // Keep (topic, partition) order so a fetch round reads each topic's watermarks once.
        var index = _order.FindIndex(p => Compare(p.Partition, partition) > 0);
        _order.Insert(index < 0 ? _order.Count : index, state);
        AssignmentChanged();
    }

    private void RemoveLocal(TopicPartition partition)
    {
        if (_partitions.Remove(partition, out var state))
        {
            _buffered -= state.Buffer.Count;
            _order.Remove(state);
            AssignmentChanged();
        }
    }

    private void Seek(PartitionState state, long offset)
    {
        _buffered -= state.Buffer.Count;
        state.Buffer.Clear();
        state.FetchOffset = offset;
        _needFetch = true;
    }

    // Paused partitions never hold buffered records (Pause drops them, Fetch skips paused partitions), so anything
    // buffered can be delivered.
    private bool HasDeliverable() => _buffered > 0;

    /// <summary>Takes one record, rotating over partitions so one busy partition cannot starve the others.</summary>
    private bool TryTake(out LogRecord record)
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
    private void Fetch()
    {
        _needFetch = false;
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
        var limit = Math.Max(1, (Options.MaxPrefetch - _buffered) / _fetchCandidates.Count);
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
                    _needFetch = true;
                }
            }
            return 0;
        });
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

    // ---- helpers ------------------------------------------------------------------------------------------------

    private long NowMs() => _logOptions.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private void Guard(string operation, Action action)
    {
        try
        {
            action();
        }
        catch (SqliteException ex)
        {
            throw _connection.Translate(ex, operation);
        }
    }

    private static SqliteCommand Bind(SqliteCommand command, params ReadOnlySpan<object?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        return command;
    }

    private static int Compare(TopicPartition a, TopicPartition b)
    {
        var byTopic = string.CompareOrdinal(a.Topic, b.Topic);
        return byTopic != 0 ? byTopic : a.Partition.CompareTo(b.Partition);
    }
}
