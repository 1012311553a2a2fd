using Courier.Sqlite.Storage;
using Courier.Sqlite.Telemetry;
using Courier.Sqlite.Topics;
using Microsoft.Extensions.Logging;
using static Courier.Sqlite.Storage.CommandBinding;

namespace Courier.Sqlite.Groups;

/// <summary>
/// One consumer's membership of its group, through rows that every member reads and writes in short write transactions:
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
/// The consumer applies what a <see cref="Sync"/> decides (callbacks, its local partitions).
/// </summary>
internal sealed class GroupMembership : IDisposable
{
    /// <summary>
    /// How often a member looks for members whose process has ended, between syncs. One read of the member rows and one
    /// process lookup (a /proc read on Linux) per other process on this host; often enough that a killed member's
    /// partitions move within a second.
    /// </summary>
    internal const long ProcessCheckIntervalMs = 500;

    private readonly SqliteJobLog _log;
    private readonly LogConnection _connection;
    private readonly GroupCommands _commands;
    private readonly MemberLiveness _liveness;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _sessionTimeout;
    private readonly long _sessionTimeoutMs;
    private readonly long _heartbeatIntervalMs;
    private readonly string _groupId;
    private readonly string _clientId;
    private readonly Dictionary<string, TopicSubscription> _parsedSubscriptions = new(StringComparer.Ordinal);
    private bool _syncRequested;
    private long _nextHeartbeatMs;
    private long _nextProcessCheckMs;
    private long _seenGeneration = -1;
    private (long Count, long Partitions) _seenTopics = (-1, -1);

    public GroupMembership(SqliteJobLog log, LogConnection connection, SqliteJobLogOptions logOptions, ILogger logger,
        string groupId, string clientId)
    {
        _log = log;
        _connection = connection;
        _commands = new GroupCommands(connection);
        _liveness = log.Liveness;
        _logger = logger;
        _time = logOptions.TimeProvider;
        _sessionTimeout = logOptions.SessionTimeout;
        _sessionTimeoutMs = Math.Max(1, (long)logOptions.SessionTimeout.TotalMilliseconds);
        // Five heartbeats per session: one late or slow heartbeat does not cost the membership.
        _heartbeatIntervalMs = Math.Max(1, _sessionTimeoutMs / 5);
        _groupId = groupId;
        _clientId = clientId;
        MemberId = $"{clientId}/{Guid.NewGuid():N}";
    }

    public string MemberId { get; }

    /// <summary>The topics this member subscribes to; set before <see cref="Join"/>.</summary>
    public TopicSubscription? Subscription { get; set; }

    /// <summary>Whether this member's row is (as far as it knows) in the group.</summary>
    public bool Joined { get; private set; }

    /// <summary>Writes this member's row and asks every member to sync.</summary>
    public void Join()
    {
        var group = _commands;
        var now = NowMs();
        _connection.Write(() =>
        {
            Bind(group.EnsureGroup, _groupId).ExecuteNonQuery();
            UpsertSelf(group, _groupId, now);
            Bind(group.BumpGeneration, _groupId).ExecuteNonQuery();
            return 0;
        });
        Joined = true;
        _syncRequested = true;
        _log.Signal();
    }

    /// <summary>Deletes this member's row and ownerships; the other members take its partitions on their next sync.</summary>
    public void Leave()
    {
        var group = _commands;
        _connection.Write(() =>
        {
            Bind(group.DeleteMemberOwners, _groupId, MemberId).ExecuteNonQuery();
            Bind(group.DeleteMember, _groupId, MemberId).ExecuteNonQuery();
            Bind(group.BumpGeneration, _groupId).ExecuteNonQuery();
            return 0;
        });
        Joined = false;
        SqliteLogMessages.Left(_logger, MemberId, _groupId);
        _log.Signal();
    }

    /// <summary>Whether a sync is due: a heartbeat, a requested sync, or another member's process on this host ended.</summary>
    public bool SyncDue()
    {
        var now = NowMs();
        if (!_syncRequested && now >= _nextProcessCheckMs && now < _nextHeartbeatMs)
        {
            _syncRequested = LocalMemberProcessEnded(now);
        }
        return _syncRequested || now >= _nextHeartbeatMs;
    }

    /// <summary>Whether the group's generation or the topics changed since the last sync (one cheap read).</summary>
    public bool GroupOrTopicsChanged()
    {
        using var reader = Bind(_commands.GroupState, _groupId).ExecuteReader();
        reader.Read();
        var generation = reader.IsDBNull(0) ? -1 : reader.GetInt64(0);
        var topics = (reader.GetInt64(1), reader.GetInt64(2));
        return generation != _seenGeneration || topics != _seenTopics;
    }

    /// <summary>
    /// Heartbeats, expires dead members, and takes the free partitions of this member's target assignment in one write
    /// transaction; returns what to release and what was acquired, for the consumer to apply.
    /// </summary>
    public SyncPlan Sync()
    {
        var now = NowMs();
        var plan = _connection.Write(() => Plan(now));
        Joined = true;
        _syncRequested = false;
        _nextHeartbeatMs = now + _heartbeatIntervalMs;
        // The sync just looked at every member's process.
        _nextProcessCheckMs = now + ProcessCheckIntervalMs;
        _seenGeneration = plan.Generation;
        _seenTopics = plan.Topics;
        foreach (var expired in plan.Expired)
        {
            SqliteLogMessages.MemberExpired(_logger, _groupId, expired);
        }
        foreach (var (exited, pid) in plan.Exited)
        {
            SqliteLogMessages.MemberProcessEnded(_logger, _groupId, exited, pid);
        }
        if (plan.Changed)
        {
            _log.Signal();
        }
        return plan;
    }

    /// <summary>
    /// Commits offsets for the group. With <paramref name="checkOwnership"/> (a subscribed member), only while this member
    /// is in the group and owns every partition: a member that lost its membership must not move offsets that a new owner
    /// is now advancing.
    /// </summary>
    public void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets, bool checkOwnership)
    {
        var group = _commands;
        var now = NowMs();
        checkOwnership = checkOwnership && Joined;
        _connection.Guard("commit offsets", () => _connection.Write(() =>
        {
            if (checkOwnership)
            {
                if (Bind(group.MemberHeartbeat, _groupId, MemberId).ExecuteScalar() is null)
                {
                    throw new JobLogException(
                        $"Commit rejected: consumer {MemberId} is no longer a member of group '{_groupId}' (no heartbeat " +
                        $"within the session timeout of {_sessionTimeout.TotalSeconds:0.###} s); its partitions were reassigned.");
                }
                foreach (var offset in offsets)
                {
                    var owner = Bind(group.Owner, _groupId, offset.Topic, offset.Partition).ExecuteScalar() as string;
                    if (!string.Equals(owner, MemberId, StringComparison.Ordinal))
                    {
                        throw new JobLogException(
                            $"Commit rejected: {offset.TopicPartition} is not assigned to consumer {MemberId} in group '{_groupId}'" +
                            (owner is null ? "." : $" (it belongs to {owner})."));
                    }
                }
            }
            foreach (var offset in offsets)
            {
                Bind(group.UpsertCommitted, _groupId, offset.Topic, offset.Partition, offset.Offset, now).ExecuteNonQuery();
            }
            return 0;
        }));
    }

    public void Dispose() => _commands.Dispose();

    /// <summary>Deletes this member's ownership of the partitions, once its revoke callback has returned.</summary>
    public void ReleaseOwnership(IReadOnlyList<TopicPartition> partitions)
    {
        var group = _commands;
        _connection.Guard("hand over partitions", () => _connection.Write(() =>
        {
            foreach (var partition in partitions)
            {
                Bind(group.DeleteOwner, _groupId, partition.Topic, partition.Partition, MemberId).ExecuteNonQuery();
            }
            var before = (long)Bind(group.Generation, _groupId).ExecuteScalar()!;
            Bind(group.BumpGeneration, _groupId).ExecuteNonQuery();
            if (before == _seenGeneration)
            {
                // Only our own change happened since the last sync; anything else must still be noticed.
                _seenGeneration = before + 1;
            }
            return 0;
        }));
        _log.Signal();
    }

    private SyncPlan Plan(long now)
    {
        var group = _commands;
        var groupId = _groupId;
        var plan = new SyncPlan();
        var heartbeat = Bind(group.MemberHeartbeat, groupId, MemberId).ExecuteScalar();
        plan.Fenced = Joined && heartbeat is null;
        plan.Changed = heartbeat is null;
        Bind(group.EnsureGroup, groupId).ExecuteNonQuery();
        UpsertSelf(group, groupId, now);

        var cutoff = now - _sessionTimeoutMs;
        using (var reader = Bind(group.OtherMembers, groupId, MemberId).ExecuteReader())
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

        var target = PartitionAssignor.Assign(members, topics)[MemberId];
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
            if (string.Equals(owner, MemberId, StringComparison.Ordinal) && !targetSet.Contains(partition))
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
            Bind(group.InsertOwner, groupId, partition.Topic, partition.Partition, MemberId, now).ExecuteNonQuery();
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
        Bind(group.UpsertMember, groupId, MemberId, _clientId, Subscription!.Text, now, self.Host, self.Pid, self.Start)
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
        if (!Joined || host.Length == 0)
        {
            return false;
        }
        using var reader = Bind(_commands.OtherLocalMembers, _groupId, host, MemberId).ExecuteReader();
        while (reader.Read())
        {
            if (_liveness.HasExited(host, reader.GetInt64(0), reader.GetInt64(1)))
            {
                return true;
            }
        }
        return false;
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

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();
}
