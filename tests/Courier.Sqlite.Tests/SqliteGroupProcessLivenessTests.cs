using Courier.Sqlite.Groups;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Courier.Sqlite.Tests;

/// <summary>
/// A member whose process has ended loses its partitions without waiting for the session timeout. Two
/// <see cref="SqliteJobLog"/> instances on one file stand in for two processes; the "other" process's member row is then
/// rewritten to name an exited, killed or reused process id. The session timeout is 5 minutes and, on the fake clock,
/// time moves only when a test says so: no takeover here can be explained by the heartbeat rule.
/// </summary>
public sealed class SqliteGroupProcessLivenessTests : IAsyncLifetime
{
    private static readonly TimeSpan LongSession = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly List<SqliteJobLog> _logs = [];
    private string _path = null!;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _path = _directory.File("liveness.db");
        await Open().EnsureTopicAsync("jobs", 4, Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _logs)
        {
            await log.DisposeAsync();
        }
        _directory.Dispose();
    }

    [Fact]
    public async Task MemberWhoseProcessExited_LosesItsPartitionsToAJoiningMember_AtOnce()
    {
        // The restart after kill -9: the dead dispatcher's row is there, its replacement joins.
        using var a = Open().CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "a" });
        a.Subscribe(["jobs"]);
        Consuming.Until(_ => a.Assignment.Count == 4, "a owns every partition", [a]);
        RewriteProcess("a", await StandInProcess.ExitedIdAsync());

        using var b = Open().CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "b" });
        b.Subscribe(["jobs"]);
        Consuming.Until(_ => b.Assignment.Count == 4, "b takes over a's partitions", [b]);
        Assert.Equal("b", Assert.Single(await _logs[0].DescribeGroupAsync("g", Token)).ClientId);
    }

    [Fact]
    public async Task MemberWhoseProcessExited_IsNoticedByARunningMember_BetweenHeartbeats_OnTheRealClock()
    {
        var options = new SqliteJobLogOptions { SessionTimeout = LongSession };
        using var a = Open(options).CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "a" });
        using var b = Open(options).CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "b" });
        a.Subscribe(["jobs"]);
        b.Subscribe(["jobs"]);
        Consuming.Until(_ => a.Assignment.Count == 2 && b.Assignment.Count == 2, "the members split 4 partitions", [a, b]);

        // No group change follows (the generation stays); only b's process check between its 60 s heartbeats can see it.
        RewriteProcess("a", await StandInProcess.ExitedIdAsync());
        Consuming.Until(_ => b.Assignment.Count == 4, "b takes over a's partitions long before the 5 minute session timeout", [b]);
    }

    [Fact]
    public async Task MemberWhoseProcessIsKilled_KeepsItsPartitionsWhileItRuns_AndLosesThemOnceKilled()
    {
        var (first, second) = Split();
        using var a = first;
        using var b = second;
        using var child = StandInProcess.StartLongLived();
        try
        {
            Assert.Equal(ProcessState.Running, LocalProcess.Probe(child.Id, out var start));
            RewriteProcess("a", child.Id, start);

            // b's next Consume checks processes (half a second has passed) and finds a's process running.
            _clock.Advance(TimeSpan.FromSeconds(1));
            b.Consume(TimeSpan.FromMilliseconds(20), Token);
            Assert.Equal(2, b.Assignment.Count);
            Assert.Equal(2, (await _logs[0].DescribeGroupAsync("g", Token)).Count);
        }
        finally
        {
            await StandInProcess.KillAsync(child);
        }

        _clock.Advance(TimeSpan.FromSeconds(1));
        Consuming.Until(_ => b.Assignment.Count == 4, "b takes over the killed member's partitions", [b]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MemberWhosePidNowBelongsToAnotherProcess_LosesItsPartitions(bool pidOfThisProcess)
    {
        var (first, second) = Split();
        using var a = first;
        using var b = second;
        using var child = StandInProcess.StartLongLived();
        try
        {
            // The pid runs, but the process with it started at another time than the one that wrote the row.
            var (pid, start) = pidOfThisProcess
                ? (Environment.ProcessId, LocalProcess.Current.Start)
                : (child.Id, LocalProcess.Probe(child.Id, out var childStart) == ProcessState.Running ? childStart : -1);
            Assert.NotEqual(-1, start);
            RewriteProcess("a", pid, start - 1);

            _clock.Advance(TimeSpan.FromSeconds(1));
            Consuming.Until(_ => b.Assignment.Count == 4, "b takes over the partitions of the member with the reused pid", [b]);
        }
        finally
        {
            await StandInProcess.KillAsync(child);
        }
    }

    [Fact]
    public async Task MemberOfTheSameProcess_WithASilentHeartbeat_KeepsItsPartitionsUntilTheSessionTimeout()
    {
        var (first, second) = Split();
        using var a = first;
        using var b = second;

        // a (another log instance in this process) stays silent for just under the session timeout; b heartbeats.
        _clock.Advance(LongSession - TimeSpan.FromSeconds(1));
        b.Consume(TimeSpan.FromMilliseconds(20), Token);
        Assert.Equal(2, b.Assignment.Count);
        Assert.Equal(2, (await _logs[0].DescribeGroupAsync("g", Token)).Count);

        // One heartbeat interval (a fifth of the session) later b syncs again, and now a's heartbeat is too old.
        _clock.Advance(LongSession / 5);
        Consuming.Until(_ => b.Assignment.Count == 4, "the heartbeat rule still expires a", [b]);
    }

    [Fact]
    public async Task Open_FileWithTheEarlierMemberTable_AddsTheProcessColumns_AndItsRowsFallBackToTheHeartbeat()
    {
        foreach (var log in _logs)
        {
            await log.DisposeAsync();
        }
        _logs.Clear();
        var heartbeat = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        using (var connection = Connect())
        {
            Execute(connection, "ALTER TABLE group_members DROP COLUMN host");
            Execute(connection, "ALTER TABLE group_members DROP COLUMN pid");
            Execute(connection, "ALTER TABLE group_members DROP COLUMN process_start");
            Execute(connection,
                "INSERT INTO group_members (group_id, member_id, client_id, subscription, heartbeat_ms, joined_ms) " +
                $"VALUES ('g', 'old/1', 'old', 'jobs', {heartbeat}, {heartbeat})");
        }

        using var b = Open().CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "b" });
        using (var connection = Connect())
        {
            Assert.Equal(3L, Scalar(connection,
                "SELECT count(*) FROM pragma_table_info('group_members') WHERE name IN ('host', 'pid', 'process_start')"));
            Assert.Equal(1L, Scalar(connection, "PRAGMA user_version"));
            Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM group_members WHERE host = '' AND pid = 0"));
        }

        // The old row names no process, so its member is judged by its heartbeat only.
        b.Subscribe(["jobs"]);
        Consuming.Until(_ => b.Assignment.Count == 2, "b shares the partitions with the old member", [b]);
        _clock.Advance(TimeSpan.FromSeconds(1));
        b.Consume(TimeSpan.FromMilliseconds(20), Token);
        Assert.Equal(2, b.Assignment.Count);
        _clock.Advance(LongSession);
        Consuming.Until(_ => b.Assignment.Count == 4, "the old member expires by its heartbeat", [b]);
    }

    private SqliteJobLog Open(SqliteJobLogOptions? options = null)
    {
        var log = SqliteJobLog.Open(_path, options ?? new SqliteJobLogOptions { TimeProvider = _clock, SessionTimeout = LongSession });
        _logs.Add(log);
        return log;
    }

    /// <summary>Consumer a in one log instance, b in another ("two processes"), each owning two partitions.</summary>
    private (IJobLogConsumer A, IJobLogConsumer B) Split()
    {
        var a = Open().CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "a" });
        var b = Open().CreateConsumer(new JobLogConsumerOptions { GroupId = "g", ClientId = "b" });
        a.Subscribe(["jobs"]);
        b.Subscribe(["jobs"]);
        Consuming.Until(_ => a.Assignment.Count == 2 && b.Assignment.Count == 2, "the members split 4 partitions", [a, b]);
        return (a, b);
    }

    /// <summary>Makes the member row of <paramref name="clientId"/> name another process, as if that process had written it.</summary>
    private void RewriteProcess(string clientId, long pid, long? start = null)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText =
            "UPDATE group_members SET pid = $pid, process_start = coalesce($start, process_start) WHERE client_id = $client";
        command.Parameters.AddWithValue("$pid", pid);
        command.Parameters.AddWithValue("$start", (object?)start ?? DBNull.Value);
        command.Parameters.AddWithValue("$client", clientId);
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=false");
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
