using System.Diagnostics;
using Confluent.Kafka;
using Courier.Kafka.Telemetry;
using Microsoft.Extensions.Logging;
using KafkaTopicPartitionOffset = Confluent.Kafka.TopicPartitionOffset;

namespace Courier.Kafka.Consumer;

/// <summary>
/// Commits a Kafka consumer's offsets and remembers what the group has committed for the partitions it holds: explicit
/// commits (synchronous, retried through transient errors) and the results of librdkafka's background commits of the
/// offsets the owner stored. Owned by the consumer's thread, like the consumer.
/// </summary>
internal sealed class OffsetCommitter
{
    /// <summary>First and longest pause between attempts of a commit that failed with a transient error.</summary>
    private static readonly TimeSpan CommitRetryBackoff = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan CommitRetryBackoffLimit = TimeSpan.FromMilliseconds(500);

    private readonly IConsumer<string?, byte[]?> _consumer;
    private readonly IReadOnlySet<TopicPartition> _assigned;
    private readonly ILogger _logger;
    private readonly string _clientId;
    private readonly string? _groupId;
    private readonly TimeSpan _retryLimit;

    /// <summary>
    /// Offsets this member knows the group has committed, from its own successful commits (explicit and background),
    /// for partitions it holds; forgotten when a partition leaves, as another member may commit it meanwhile.
    /// </summary>
    private readonly Dictionary<TopicPartition, long> _committed = [];

    /// <param name="consumer">The librdkafka consumer.</param>
    /// <param name="assigned">The consumer's assignment, kept by the consumer.</param>
    /// <param name="logger">The log's logger.</param>
    /// <param name="clientId">The consumer's client id, for log lines.</param>
    /// <param name="groupId">The consumer's group.</param>
    /// <param name="retryLimit">How long a commit keeps trying through transient errors.</param>
    public OffsetCommitter(IConsumer<string?, byte[]?> consumer, IReadOnlySet<TopicPartition> assigned, ILogger logger, string clientId,
        string? groupId, TimeSpan retryLimit)
    {
        _consumer = consumer;
        _assigned = assigned;
        _logger = logger;
        _clientId = clientId;
        _groupId = groupId;
        _retryLimit = retryLimit;
    }

    /// <summary>Commits the offsets, synchronously, trying again through errors that pass by themselves.</summary>
    /// <param name="offsets">Validated offsets.</param>
    /// <param name="closing">True inside the consumer's Close.</param>
    /// <param name="waitOutRebalance">
    /// True where the owner's thread is already serving the rebalance (inside a rebalance callback or Close), so a
    /// refusal because of it passes by itself. Elsewhere a rebalance may be waiting for that very thread to run a
    /// callback, and the commit fails at once instead (see <see cref="IsRebalanceRefusal"/>).
    /// </param>
    public void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets, bool closing, bool waitOutRebalance)
    {
        // Already committed (typically by the background commit of the same stored offsets): a commit would only repeat
        // it, and a repeat can fail for reasons that no longer matter (a rebalance under way) or, during Close, not be
        // answered at all.
        var kafkaOffsets = offsets
            .Where(o => !_committed.TryGetValue(o.TopicPartition, out var known) || known != o.Offset)
            .Select(o => new KafkaTopicPartitionOffset(o.Topic, o.Partition, o.Offset))
            .ToList();
        StoreBeforeCommit(kafkaOffsets, closing);
        if (kafkaOffsets.Count == 0)
        {
            return;
        }
        var start = Stopwatch.GetTimestamp();
        var backoff = CommitRetryBackoff;
        while (true)
        {
            try
            {
                _consumer.Commit(kafkaOffsets);
                foreach (var offset in kafkaOffsets)
                {
                    RememberCommitted(offset);
                }
                return;
            }
            catch (KafkaException ex)
            {
                // A refusal per partition is retried only when every refused partition's error is.
                var codes = RefusalCodes(ex);
                if (codes.All(code => IsRetried(code, waitOutRebalance)) && Stopwatch.GetElapsedTime(start) + backoff < _retryLimit)
                {
                    KafkaLogMessages.CommitRetried(_logger, _clientId, _groupId, codes[0].ToString(), (int)backoff.TotalMilliseconds);
                    backoff = Wait(backoff);
                    continue;
                }
                throw new JobLogException($"Kafka commit of group {_groupId} failed: {DescribeRefusal(ex)}", ex);
            }
        }

        static TimeSpan Wait(TimeSpan backoff)
        {
            // A commit is synchronous by contract: the owner's thread waits here, but librdkafka's own threads finish the
            // rebalance (join, sync) meanwhile, after which the commit goes through.
            using var pause = new ManualResetEventSlim(false);
            pause.Wait(backoff);
            return backoff * 2 < CommitRetryBackoffLimit ? backoff * 2 : CommitRetryBackoffLimit;
        }
    }

    /// <summary>The errors of a failed commit: one per refused partition, or the request's own.</summary>
    private static List<ErrorCode> RefusalCodes(KafkaException ex) => ex is TopicPartitionOffsetException partitions
        ? partitions.Results.Where(r => r.Error.IsError).Select(r => r.Error.Code).ToList()
        : [ex.Error.Code];

    private static string DescribeRefusal(KafkaException ex) => ex is TopicPartitionOffsetException partitions
        ? string.Join("; ", partitions.Results.Where(r => r.Error.IsError).Select(r => $"{r.Topic}[{r.Partition.Value}]: {r.Error.Reason} ({r.Error.Code})"))
        : $"{ex.Error.Reason} ({ex.Error.Code})";

    /// <summary>
    /// An explicit commit leaves librdkafka's stored offsets as they were, and librdkafka commits the stored offsets of
    /// partitions it takes away (a revoke, Close) after the owner's callback has returned. Measured on the development
    /// cluster: offset 5 stored, 7 committed explicitly, then Close — the group's committed offset went back to 5, so the
    /// next owner would run two finished jobs again. Storing what is committed keeps the two equal.
    /// </summary>
    /// <remarks>
    /// During <see cref="IJobLogConsumer.Close"/> librdkafka may already have taken a partition away (and committed its stored offset)
    /// before the owner's revoke callback runs — when a rebalance and Close cross, it treats the pending assignment as an
    /// unassignment first. The store then fails with Local_State; such a partition is left out of the commit, since the
    /// group is shutting down and a commit request now may never be answered (observed on the development cluster: Close
    /// hung). Outside Close a refused store is only logged, and the commit goes ahead and reports its own error (a lost
    /// assignment).
    /// </remarks>
    private void StoreBeforeCommit(List<KafkaTopicPartitionOffset> offsets, bool closing)
    {
        for (var i = offsets.Count - 1; i >= 0; i--)
        {
            var offset = offsets[i];
            if (!_assigned.Contains(new TopicPartition(offset.Topic, offset.Partition.Value)))
            {
                continue; // A commit for a partition this consumer does not hold: librdkafka keeps nothing stored for it.
            }
            try
            {
                _consumer.StoreOffset(offset);
            }
            catch (KafkaException ex)
            {
                KafkaLogMessages.StoreBeforeCommitFailed(_logger, _clientId, offset.ToString(), ex.Error.Code.ToString(), closing);
                if (closing && ex.Error.Code == ErrorCode.Local_State)
                {
                    offsets.RemoveAt(i);
                }
            }
        }
    }

    private void RememberCommitted(KafkaTopicPartitionOffset offset)
    {
        var partition = new TopicPartition(offset.Topic, offset.Partition.Value);
        if (_assigned.Contains(partition))
        {
            _committed[partition] = offset.Offset.Value;
        }
    }

    /// <summary>
    /// Takes in the result of one of librdkafka's background commits: remembers what was committed, and returns what
    /// failed, described for people, or null when nothing did.
    /// </summary>
    public string? Committed(CommittedOffsets committed)
    {
        // Nothing stored since the last commit: librdkafka reports that as "no offset", which is no failure.
        var requestFailed = committed.Error.IsError && committed.Error.Code != ErrorCode.Local_NoOffset;
        if (!committed.Error.IsError)
        {
            foreach (var offset in committed.Offsets)
            {
                if (!offset.Error.IsError && offset.Offset.Value >= 0)
                {
                    RememberCommitted(offset.TopicPartitionOffset);
                }
            }
        }
        var failed = committed.Offsets.Where(o => o.Error.IsError && o.Error.Code != ErrorCode.Local_NoOffset).ToList();
        if (!requestFailed && failed.Count == 0)
        {
            return null;
        }
        return failed.Count > 0
            ? string.Join("; ", failed.Select(r => $"{r.Topic}[{r.Partition.Value}]@{r.Offset.Value}: {r.Error.Reason} ({r.Error.Code})"))
            : $"{committed.Error.Reason} ({committed.Error.Code})";
    }

    /// <summary>Forgets what the group committed for a partition that left: another member may commit it meanwhile.</summary>
    public void Forget(TopicPartition partition) => _committed.Remove(partition);

    /// <summary>Forgets everything (a new assignment).</summary>
    public void ForgetAll() => _committed.Clear();

    /// <summary>
    /// Commit errors that pass by themselves. The coordinator refuses commits while a group is between JoinGroup and
    /// SyncGroup (REBALANCE_IN_PROGRESS) — on real Kafka briefly, on the mock cluster for the whole join phase — and while
    /// the group's coordinator moves or loads. A commit that left with the generation the join just replaced comes back
    /// ILLEGAL_GENERATION (Kafka checks the generation before the group's state): on the classic protocol a commit queued
    /// on the coordinator connection behind this member's own JoinGroup meets that whenever the JoinGroup completes the
    /// join. librdkafka itself takes that error, during a rebalance, as "a new generation id can be received soon", and so
    /// does this: the retry carries the new generation. A member that really lost its membership gets UNKNOWN_MEMBER_ID or
    /// the same error until the retry limit, and then the commit fails. The partitions are still this member's (a
    /// cooperative rebalance takes nothing away without a revoke callback first), so the same commit is right once the
    /// group settles.
    /// </summary>
    private static bool IsTransientCommitError(ErrorCode code) => IsRebalanceRefusal(code) || code is
        ErrorCode.GroupLoadInProgress or ErrorCode.GroupCoordinatorNotAvailable or ErrorCode.NotCoordinatorForGroup
        or ErrorCode.RequestTimedOut or ErrorCode.Local_TimedOut or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown;

    /// <summary>
    /// Refusals because the group is rebalancing. They pass only once this member has rejoined, and on the classic
    /// protocol librdkafka hands a revoke (or assignment) to the owner's thread first, as a callback that runs inside
    /// Consume, and rejoins only after it returned. A commit retried on that thread outside a callback keeps the member
    /// from rejoining: the group completes the rebalance without it and expels it (Kafka at the end of the join, the
    /// mock when its session times out, as heartbeats during a join phase do not keep it alive there), and the commit
    /// ends with UNKNOWN_MEMBER_ID — the member's partitions lost and their uncommitted records re-run elsewhere.
    /// Such a commit therefore fails at once; the offsets stay stored, so the revoke commits them, or the owner commits
    /// again after its next Consume, as Kafka's own clients expect (RebalanceInProgressException).
    /// </summary>
    private static bool IsRebalanceRefusal(ErrorCode code) => code is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration;

    private static bool IsRetried(ErrorCode code, bool waitOutRebalance) =>
        IsTransientCommitError(code) && (waitOutRebalance || !IsRebalanceRefusal(code));
}
