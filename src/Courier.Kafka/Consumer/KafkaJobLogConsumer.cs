using System.Diagnostics;
using Confluent.Kafka;
using Courier.Kafka.Configuration;
using Courier.Kafka.Telemetry;
using Courier.Log;
using Microsoft.Extensions.Logging;
using KafkaTopicPartition = Confluent.Kafka.TopicPartition;
using KafkaTopicPartitionOffset = Confluent.Kafka.TopicPartitionOffset;

namespace Courier.Kafka.Consumer;

/// <summary>
/// A consumer of the Kafka job log: one librdkafka consumer, owned by the thread that calls
/// <see cref="IJobLogConsumer.Consume"/>. Rebalance callbacks run on that thread, inside
/// <see cref="IJobLogConsumer.Consume"/> (and <see cref="IJobLogConsumer.Close"/>), as Confluent.Kafka raises them.
/// Commits go through its <see cref="OffsetCommitter"/>.
/// </summary>
/// <remarks>
/// Pause and resume map to librdkafka's, which drops what it had prefetched for a paused partition and, on resume,
/// fetches again from the record after the last one <see cref="IJobLogConsumer.Consume"/> returned — exactly the
/// contract's "positions are kept".
/// </remarks>
internal sealed class KafkaJobLogConsumer : JobLogConsumerBase
{
    /// <summary>Longest single wait inside librdkafka, so cancellation is noticed promptly.</summary>
    private static readonly TimeSpan PollSlice = TimeSpan.FromMilliseconds(100);

    /// <summary>Pause after a failed consume before trying again, so a persistent error does not spin.</summary>
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait in <see cref="IJobLogConsumer.Subscribe"/> for the metadata a classic group's pattern subscription joins with.</summary>
    private static readonly TimeSpan MetadataBeforeJoinLimit = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _metadataBeforeJoinLimit;
    private readonly bool _classicGroup;

    private readonly ILogger _logger;
    private readonly IConsumer<string?, byte[]?> _consumer;
    private readonly HashSet<TopicPartition> _assigned = [];
    private readonly OffsetCommitter _committer;
    private Error? _fatal;
    private bool _closing;

    /// <summary>True while the owner's rebalance callback runs: a commit there may wait out the rebalance.</summary>
    private bool _inCallback;

    public KafkaJobLogConsumer(KafkaJobLog log, JobLogConsumerOptions options)
        : base(options)
    {
        _logger = log.LoggerFactory.CreateLogger<KafkaJobLog>();
        _metadataBeforeJoinLimit = log.Options.RequestTimeout < MetadataBeforeJoinLimit ? log.Options.RequestTimeout : MetadataBeforeJoinLimit;
        // librdkafka needs a group id even to read assigned partitions; without one this consumer never joins or commits.
        var groupId = options.GroupId ?? $"courier-assign-{Guid.NewGuid():N}";
        var config = ClientConfigs.Consumer(log.Options, options, groupId);
        _classicGroup = config.GroupProtocol is null or GroupProtocol.Classic;
        _consumer = new ConsumerBuilder<string?, byte[]?>(config)
            .SetKeyDeserializer(new RecordKeyDeserializer())
            .SetLogHandler(log.LogHandler)
            .SetErrorHandler(OnError)
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler((_, partitions) => OnRevoked(partitions, lost: false))
            .SetPartitionsLostHandler((_, partitions) => OnRevoked(partitions, lost: true))
            .SetOffsetsCommittedHandler(OnOffsetsCommitted)
            .Build();
        _committer = new OffsetCommitter(_consumer, _assigned, _logger, options.ClientId, options.GroupId, log.Options.RequestTimeout);
    }

    /// <summary>The librdkafka client, for tests that inject faults into it.</summary>
    internal IConsumer<string?, byte[]?> Client => _consumer;

    protected override bool IsAssigned(TopicPartition partition) => _assigned.Contains(partition);

    protected override TopicPartition[] SnapshotAssignment() => [.. _assigned];

    protected override void SubscribeCore(IReadOnlyCollection<string> topics)
    {
        // An entry starting with '^' is a regular expression in librdkafka's syntax.
        if (_classicGroup && topics.Any(t => t.StartsWith('^')))
        {
            RefreshMetadataBeforeJoin();
        }
        Guard("subscribe", () => _consumer.Subscribe(topics));
    }

    /// <summary>
    /// A classic group member with a pattern in its subscription needs metadata of every topic before its first
    /// JoinGroup, to know which topics the pattern matches. A new client has no broker connection yet when it subscribes,
    /// so librdkafka cannot request that metadata, postpones the join ("postponing join until up-to-date metadata can be
    /// requested") and tries again only a second or two later. Asking for the metadata through the consumer's own handle
    /// first opens the connection and fills librdkafka's cache, and the join goes out at once. Measured on the development
    /// cluster (no initial rebalance delay), first record after Subscribe for a topic and a pattern: ~2.1 s before, ~0.3 s
    /// with this (a topic alone: ~0.15 s). Only an optimisation: if it fails, the join happens later as before.
    /// </summary>
    private void RefreshMetadataBeforeJoin()
    {
        try
        {
            using var admin = new DependentAdminClientBuilder(_consumer.Handle).Build();
            admin.GetMetadata(_metadataBeforeJoinLimit);
        }
        catch (KafkaException ex)
        {
            KafkaLogMessages.MetadataBeforeJoinFailed(_logger, Options.ClientId, ex.Error.Code.ToString(), ex.Error.Reason);
        }
    }

    protected override void AssignCore(IReadOnlyCollection<TopicPartitionOffset> partitions)
    {
        Guard("assign partitions", () => _consumer.Assign(partitions.Select(p => new KafkaTopicPartitionOffset(p.Topic, p.Partition, p.Offset))));
        _assigned.Clear();
        _assigned.UnionWith(partitions.Select(p => p.TopicPartition));
        _committer.ForgetAll();
    }

    protected override LogRecord? ConsumeCore(TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfFatal();
        var infinite = timeout == Timeout.InfiniteTimeSpan;
        // A zero timeout (a busy dispatcher asks for each record that way: "what is ready") polls once and reads no
        // clock, which costs tens of nanoseconds a read.
        var once = !infinite && timeout <= TimeSpan.Zero;
        var start = infinite || once ? 0 : Stopwatch.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var remaining = infinite ? PollSlice : once ? TimeSpan.Zero : timeout - Stopwatch.GetElapsedTime(start);
            var wait = remaining < PollSlice ? remaining : PollSlice;
            ConsumeResult<string?, byte[]?>? result;
            try
            {
                result = _consumer.Consume(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
            }
            catch (ConsumeException ex) when (!ex.Error.IsFatal)
            {
                // Not fatal (a subscribed topic that does not exist yet, a partition moving between brokers): the
                // consumer recovers by itself. Log it and back off instead of spinning on the same error.
                var backoff = ErrorBackoff;
                if (!infinite)
                {
                    var left = once ? TimeSpan.Zero : timeout - Stopwatch.GetElapsedTime(start);
                    backoff = left < backoff ? left : backoff;
                }
                KafkaLogMessages.ConsumeError(_logger, Options.ClientId, ex.Error.Code.ToString(), ex.Error.Reason, (int)Math.Max(0, backoff.TotalMilliseconds));
                if (backoff > TimeSpan.Zero)
                {
                    cancellationToken.WaitHandle.WaitOne(backoff);
                }
                result = null;
            }
            catch (KafkaException ex)
            {
                _fatal ??= ex.Error;
                throw new JobLogException($"Kafka consumer {Options.ClientId} failed: {ex.Error.Reason} ({ex.Error.Code})", ex)
                {
                    // Recorded as fatal for this consumer above: every later call throws too, so the owner must replace it.
                    IsFatal = true,
                };
            }
            ThrowIfFatal();
            if (result is { IsPartitionEOF: false })
            {
                return ToRecord(result);
            }
            if (once || (!infinite && Stopwatch.GetElapsedTime(start) >= timeout))
            {
                return null;
            }
        }
    }

    protected override void SeekCore(TopicPartitionOffset position) =>
        Guard($"seek {position}", () => _consumer.Seek(new KafkaTopicPartitionOffset(position.Topic, position.Partition, position.Offset)));

    protected override void PauseCore(IReadOnlyCollection<TopicPartition> partitions)
    {
        var assigned = Assigned(partitions);
        if (assigned.Count > 0)
        {
            Guard("pause partitions", () => _consumer.Pause(assigned));
        }
    }

    protected override void ResumeCore(IReadOnlyCollection<TopicPartition> partitions)
    {
        var assigned = Assigned(partitions);
        if (assigned.Count > 0)
        {
            Guard("resume partitions", () => _consumer.Resume(assigned));
        }
    }

    protected override void StoreOffsetsCore(IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        foreach (var offset in offsets)
        {
            // Local bookkeeping in librdkafka; its background commit (enable.auto.commit, every auto.commit.interval.ms)
            // sends what is stored, and results come back through OnOffsetsCommitted.
            var position = new KafkaTopicPartitionOffset(offset.Topic, offset.Partition, offset.Offset);
            Guard($"store offset {offset}", () => _consumer.StoreOffset(position));
        }
    }

    protected override void CommitCore(IReadOnlyCollection<TopicPartitionOffset> offsets) =>
        _committer.Commit(offsets, _closing, waitOutRebalance: _closing || _inCallback);

    /// <summary>
    /// Results of librdkafka's background commits (of stored offsets, on its timer and when partitions are taken away),
    /// raised on the owner's thread inside Consume or Close. librdkafka tries a failed commit again with the next one: the
    /// stored offsets stay until a commit of them succeeds.
    /// </summary>
    private void OnOffsetsCommitted(IConsumer<string?, byte[]?> consumer, CommittedOffsets committed)
    {
        if (_committer.Committed(committed) is not { } described)
        {
            return;
        }
        if (!ReportsBackgroundCommitFailures)
        {
            KafkaLogMessages.BackgroundCommitFailed(_logger, Options.ClientId, GroupId, described);
            return;
        }
        KafkaLogMessages.BackgroundCommitFailedReported(_logger, Options.ClientId, GroupId, described);
        RaiseBackgroundCommitFailed(new JobLogException($"Kafka background commit of group {GroupId} failed: {described}"));
    }

    protected override void CloseCore()
    {
        try
        {
            // Raises PartitionsRevoked for the whole assignment (a subscribed consumer), then leaves the group.
            _closing = true;
            _consumer.Close();
        }
        catch (KafkaException ex)
        {
            throw new JobLogException($"Kafka consumer {Options.ClientId} did not close cleanly: {ex.Error.Reason} ({ex.Error.Code})", ex);
        }
    }

    protected override void LeaveWithoutCallbacks()
    {
        try
        {
            _consumer.Close();
        }
        catch (KafkaException)
        {
            // The group then notices the member's absence after the session timeout.
        }
    }

    protected override void ReleaseResources() => _consumer.Dispose();

    private void OnAssigned(IConsumer<string?, byte[]?> consumer, List<KafkaTopicPartition> partitions)
    {
        var added = partitions.Select(p => new TopicPartition(p.Topic, p.Partition.Value)).ToArray();
        _assigned.UnionWith(added);
        AssignmentChanged();
        if (added.Length == 0 || CallbacksSilenced)
        {
            return;
        }
        KafkaLogMessages.PartitionsAssigned(_logger, Options.ClientId, GroupId ?? "", Describe(added));
        InCallback(() => RaisePartitionsAssigned(added));
    }

    private void OnRevoked(List<KafkaTopicPartitionOffset> partitions, bool lost)
    {
        var removed = partitions.Select(p => new TopicPartition(p.Topic, p.Partition.Value)).ToArray();
        try
        {
            if (removed.Length == 0 || CallbacksSilenced)
            {
                return;
            }
            if (lost)
            {
                // The group moved on without this member (it missed the session timeout): the owner still drains, but its
                // commits for these partitions will be refused.
                KafkaLogMessages.PartitionsLost(_logger, Options.ClientId, GroupId ?? "", Describe(removed));
            }
            else
            {
                KafkaLogMessages.PartitionsRevoked(_logger, Options.ClientId, GroupId ?? "", Describe(removed));
            }
            InCallback(() => RaisePartitionsRevoked(removed));
        }
        finally
        {
            _assigned.ExceptWith(removed);
            foreach (var partition in removed)
            {
                _committer.Forget(partition);
            }
            AssignmentChanged();
        }
    }

    private void InCallback(Action raise)
    {
        _inCallback = true;
        try
        {
            raise();
        }
        finally
        {
            _inCallback = false;
        }
    }

    private void OnError(IConsumer<string?, byte[]?> consumer, Error error)
    {
        if (error.IsFatal)
        {
            KafkaLogMessages.FatalError(_logger, Options.ClientId, error.Code.ToString(), error.Reason);
            _fatal ??= error;
            return;
        }
        // Transient (a broker down, a connection reset): librdkafka reconnects and retries by itself.
        KafkaLogMessages.ClientError(_logger, Options.ClientId, error.Code.ToString(), error.Reason);
    }

    private void ThrowIfFatal()
    {
        if (_fatal is { } fatal)
        {
            throw new JobLogException(
                $"Kafka consumer {Options.ClientId} hit a fatal error and cannot continue: {fatal.Reason} ({fatal.Code}). " +
                "Close it and create a new consumer.")
            {
                IsFatal = true,
            };
        }
    }

    private List<KafkaTopicPartition> Assigned(IReadOnlyCollection<TopicPartition> partitions)
    {
        var result = new List<KafkaTopicPartition>(partitions.Count);
        foreach (var partition in partitions)
        {
            if (_assigned.Contains(partition))
            {
                result.Add(new KafkaTopicPartition(partition.Topic, partition.Partition));
            }
        }
        return result;
    }

    private static LogRecord ToRecord(ConsumeResult<string?, byte[]?> result)
    {
        var message = result.Message;
        IReadOnlyList<LogHeader> headers = [];
        if (message.Headers is { Count: > 0 } kafkaHeaders)
        {
            var list = new LogHeader[kafkaHeaders.Count];
            for (var i = 0; i < list.Length; i++)
            {
                var header = kafkaHeaders[i];
                list[i] = new LogHeader(header.Key, header.GetValueBytes() ?? []);
            }
            headers = list;
        }
        return new LogRecord
        {
            Topic = result.Topic,
            Partition = result.Partition.Value,
            Offset = result.Offset.Value,
            Key = message.Key,
            Value = message.Value ?? [],
            Headers = headers,
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp.UnixTimestampMs),
        };
    }

    private void Guard(string operation, Action action)
    {
        try
        {
            action();
        }
        catch (KafkaException ex)
        {
            throw new JobLogException($"Kafka consumer {Options.ClientId} could not {operation}: {ex.Error.Reason} ({ex.Error.Code})", ex);
        }
    }
}
