using Courier.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Courier.Sqlite.Groups;

/// <summary>Prepared statements of the consumer group protocol on one consumer's connection.</summary>
internal sealed class GroupCommands : IDisposable
{
    public GroupCommands(LogConnection connection)
    {
        GroupState = connection.Prepare(
            "SELECT (SELECT generation FROM consumer_groups WHERE group_id = $group), " +
            "(SELECT count(*) FROM topics), (SELECT coalesce(sum(partitions), 0) FROM topics)",
            "$group");
        EnsureGroup = connection.Prepare(
            "INSERT OR IGNORE INTO consumer_groups (group_id, generation) VALUES ($group, 0)", "$group");
        BumpGeneration = connection.Prepare(
            "UPDATE consumer_groups SET generation = generation + 1 WHERE group_id = $group", "$group");
        Generation = connection.Prepare("SELECT generation FROM consumer_groups WHERE group_id = $group", "$group");
        MemberHeartbeat = connection.Prepare(
            "SELECT heartbeat_ms FROM group_members WHERE group_id = $group AND member_id = $member", "$group", "$member");
        UpsertMember = connection.Prepare(
            "INSERT INTO group_members " +
            "(group_id, member_id, client_id, subscription, heartbeat_ms, joined_ms, host, pid, process_start) " +
            "VALUES ($group, $member, $client, $subscription, $now, $now, $host, $pid, $start) " +
            "ON CONFLICT (group_id, member_id) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms, " +
            "subscription = excluded.subscription, client_id = excluded.client_id",
            "$group", "$member", "$client", "$subscription", "$now", "$host", "$pid", "$start");
        OtherMembers = connection.Prepare(
            "SELECT member_id, heartbeat_ms, host, pid, process_start FROM group_members " +
            "WHERE group_id = $group AND member_id <> $member",
            "$group", "$member");
        OtherLocalMembers = connection.Prepare(
            "SELECT pid, process_start FROM group_members WHERE group_id = $group AND host = $host AND member_id <> $member",
            "$group", "$host", "$member");
        DeleteOrphanOwners = connection.Prepare(
            "DELETE FROM partition_owners WHERE group_id = $group AND member_id NOT IN " +
            "(SELECT member_id FROM group_members WHERE group_id = $group)",
            "$group");
        Members = connection.Prepare(
            "SELECT member_id, subscription FROM group_members WHERE group_id = $group ORDER BY member_id", "$group");
        Topics = connection.Prepare("SELECT name, partitions FROM topics ORDER BY name");
        Owners = connection.Prepare("SELECT topic, partition, member_id FROM partition_owners WHERE group_id = $group", "$group");
        Owner = connection.Prepare(
            "SELECT member_id FROM partition_owners WHERE group_id = $group AND topic = $topic AND partition = $partition",
            "$group", "$topic", "$partition");
        InsertOwner = connection.Prepare(
            "INSERT INTO partition_owners (group_id, topic, partition, member_id, since_ms) " +
            "VALUES ($group, $topic, $partition, $member, $now)",
            "$group", "$topic", "$partition", "$member", "$now");
        DeleteOwner = connection.Prepare(
            "DELETE FROM partition_owners WHERE group_id = $group AND topic = $topic AND partition = $partition AND member_id = $member",
            "$group", "$topic", "$partition", "$member");
        DeleteMemberOwners = connection.Prepare(
            "DELETE FROM partition_owners WHERE group_id = $group AND member_id = $member", "$group", "$member");
        DeleteMember = connection.Prepare(
            "DELETE FROM group_members WHERE group_id = $group AND member_id = $member", "$group", "$member");
        Committed = connection.Prepare(
            "SELECT committed_offset FROM committed_offsets WHERE group_id = $group AND topic = $topic AND partition = $partition",
            "$group", "$topic", "$partition");
        UpsertCommitted = connection.Prepare(
            "INSERT INTO committed_offsets (group_id, topic, partition, committed_offset, committed_ms) " +
            "VALUES ($group, $topic, $partition, $offset, $now) " +
            "ON CONFLICT (group_id, topic, partition) DO UPDATE SET committed_offset = excluded.committed_offset, " +
            "committed_ms = excluded.committed_ms",
            "$group", "$topic", "$partition", "$offset", "$now");
    }

    public SqliteCommand GroupState { get; }
    public SqliteCommand EnsureGroup { get; }
    public SqliteCommand BumpGeneration { get; }
    public SqliteCommand Generation { get; }
    public SqliteCommand MemberHeartbeat { get; }
    public SqliteCommand UpsertMember { get; }
    public SqliteCommand OtherMembers { get; }
    public SqliteCommand OtherLocalMembers { get; }
    public SqliteCommand DeleteOrphanOwners { get; }
    public SqliteCommand Members { get; }
    public SqliteCommand Topics { get; }
    public SqliteCommand Owners { get; }
    public SqliteCommand Owner { get; }
    public SqliteCommand InsertOwner { get; }
    public SqliteCommand DeleteOwner { get; }
    public SqliteCommand DeleteMemberOwners { get; }
    public SqliteCommand DeleteMember { get; }
    public SqliteCommand Committed { get; }
    public SqliteCommand UpsertCommitted { get; }

    public void Dispose()
    {
        foreach (var command in new[]
        {
            GroupState, EnsureGroup, BumpGeneration, Generation, MemberHeartbeat, UpsertMember, OtherMembers, OtherLocalMembers,
            DeleteOrphanOwners, Members, Topics, Owners, Owner, InsertOwner, DeleteOwner, DeleteMemberOwners, DeleteMember,
            Committed, UpsertCommitted,
        })
        {
            command.Dispose();
        }
    }
}
