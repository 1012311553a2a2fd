using System.Diagnostics;
using Courier.Log;
using Courier.Sqlite.Groups;
using Courier.Sqlite.Storage;
using Courier.Sqlite.Telemetry;
using Courier.Sqlite.Topics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Courier.Sqlite.Consumer;

/// <summary>
/// A consumer of the SQLite job log, on its own connection: group membership through the rows every member reads and
/// writes (<see cref="GroupMembership"/>), records read ahead into per-partition buffers (<see cref="PartitionReader"/>),
/// and a wait for writes — signalled at once from this process, noticed through <c>PRAGMA data_version</c> from others
/// — between them.
/// </summary>
internal sealed class SqliteJobLogConsumer : JobLogConsumerBase
{
    private readonly SqliteJobLog _log;
    private readonly SqliteJobLogOptions _logOptions;
    private readonly LogConnection _connection;
    private readonly WakeSignal _wake = new();
    private readonly ILogger _logger;
    private readonly PartitionReader _reader;
    private readonly SqliteCommand _dataVersionQuery;

    /// <summary>Null without a group id.</summary>
    private readonly GroupMembership? _membership;

    /// <summary>The member id in logs: the group member's, or the client id of a consumer without a group.</summary>
    private readonly string _memberId;
    private long _dataVersion = -1;
    private long _lastCheckTicks;

    public SqliteJobLogConsumer(SqliteJobLog log, JobLogConsumerOptions options, SqliteJobLogOptions logOptions, LogConnection connection)
        : base(options)
    {
        _log = log;
        _logOptions = logOptions;
        _connection = connection;
        _logger = logOptions.LoggerFactory.CreateLogger<SqliteJobLog>();
        _dataVersionQuery = connection.Prepare("PRAGMA data_version");
        _reader = new PartitionReader(connection, options.MaxPrefetch);
        _membership = options.GroupId is null ? null : new GroupMembership(log, connection, logOptions, _logger, options.GroupId, options.ClientId);
        _memberId = _membership?.MemberId ?? options.ClientId;
        log.Register(_wake);
    }

    protected override bool HasGroup => _membership is not null;

    protected override bool IsAssigned(TopicPartition partition) => _reader.Contains(partition);

    protected override TopicPartition[] SnapshotAssignment() => _reader.Snapshot();

    protected override void SubscribeCore(IReadOnlyCollection<string> topics) => _membership!.Subscription = TopicSubscription.Create(topics);

    protected override void OnSubscribed()
    {
        // Join at once, so members already in the group start handing partitions over before our first Consume.
        _connection.Guard("join the consumer group", _membership!.Join);
        SqliteLogMessages.Joined(_logger, _memberId, GroupId!, _membership.Subscription!.Text.Replace('\n', ','));
    }

    protected override void AssignCore(IReadOnlyCollection<TopicPartitionOffset> partitions)
    {
        _reader.RemoveAll();
        foreach (var position in partitions)
        {
            if (!_reader.TrySeek(position.TopicPartition, position.Offset))
            {
                _reader.Add(position.TopicPartition, position.Offset);
            }
        }
        _reader.RequestFetch();
    }

    protected override LogRecord? ConsumeCore(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Mode == ConsumerMode.Subscribed && _membership!.SyncDue())
                {
                    Sync();
                }
                // Look for changes when there is nothing to hand out, and at least every poll interval while busy so
                // that a rebalance is not held up by a full buffer.
                if (!_reader.HasDeliverable || Stopwatch.GetElapsedTime(_lastCheckTicks) >= _logOptions.PollInterval)
                {
                    CheckForChanges();
                }
                if (_reader.TryTake(out var record))
                {
                    return record;
                }
                if (_reader.NeedFetch)
                {
                    _reader.Fetch();
                    if (_reader.TryTake(out record))
                    {
                        return record;
                    }
                    if (_reader.NeedFetch)
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

    protected override void SeekCore(TopicPartitionOffset position) => _reader.TrySeek(position.TopicPartition, position.Offset);

    protected override void PauseCore(IReadOnlyCollection<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _reader.Pause(partition);
        }
    }

    protected override void ResumeCore(IReadOnlyCollection<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _reader.Resume(partition);
        }
    }

    protected override void CommitCore(IReadOnlyCollection<TopicPartitionOffset> offsets) =>
        _membership!.Commit(offsets, checkOwnership: Mode == ConsumerMode.Subscribed);

    // A commit is one short local write transaction, as cheap as remembering the offsets for later: stored is committed,
    // and nothing is left for a background commit or Close to do.
    protected override void StoreOffsetsCore(IReadOnlyCollection<TopicPartitionOffset> offsets) => CommitCore(offsets);

    protected override void CloseCore()
    {
        if (Mode != ConsumerMode.Subscribed || _membership is not { Joined: true } membership)
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
            _connection.Guard("leave the consumer group", membership.Leave);
        }
    }

    protected override void LeaveWithoutCallbacks()
    {
        if (_membership is not { Joined: true } membership)
        {
            return;
        }
        try
        {
            membership.Leave();
        }
        catch (SqliteException)
        {
            // The member row then simply expires after the session timeout.
        }
    }

    protected override void ReleaseResources()
    {
        _log.Unregister(_wake);
        _membership?.Dispose();
        _dataVersionQuery.Dispose();
        _reader.Dispose();
        _connection.Dispose();
        _wake.Dispose();
    }

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
        _reader.RequestFetch();
        if (Mode == ConsumerMode.Subscribed && _membership!.GroupOrTopicsChanged())
        {
            Sync();
        }
    }

    /// <summary>Syncs with the group and applies what it decided: revokes first (callbacks, then ownership), then assigns.</summary>
    private void Sync()
    {
        var membership = _membership!;
        var plan = membership.Sync();
        if (plan.Fenced && _reader.Count > 0)
        {
            var lost = Assignment.ToArray();
            SqliteLogMessages.MembershipLost(_logger, _memberId, GroupId!, Describe(lost));
            try
            {
                RaisePartitionsRevoked(lost);
            }
            finally
            {
                RemoveLocal(lost);
            }
        }

        if (plan.Release.Count > 0)
        {
            var held = plan.Release.Where(_reader.Contains).ToArray();
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
                membership.ReleaseOwnership(plan.Release);
                RemoveLocal(held);
            }
        }

        if (plan.Acquired.Count > 0)
        {
            foreach (var partition in plan.Acquired)
            {
                _reader.Add(partition, plan.StartOffsets[partition]);
            }
            AssignmentChanged();
            _reader.RequestFetch();
            SqliteLogMessages.PartitionsAssigned(_logger, _memberId, GroupId!, Describe(plan.Acquired));
            RaisePartitionsAssigned(plan.Acquired.ToArray());
        }
    }

    private void RemoveLocal(TopicPartition[] partitions)
    {
        foreach (var partition in partitions)
        {
            _reader.Remove(partition);
        }
        AssignmentChanged();
    }
}
