using System.Text;
using Courier.Ledger;
using Courier.Server.Admin;

namespace Courier.Server.Audit;

/// <summary>
/// The state of one audit while it reads the log: the accepted records of the audited job topics, what the ledger,
/// retry, partitioned and error topics say about them, and the ledger's job ids (hashed). Fed one record at a time
/// by <see cref="LedgerAudit"/>'s scans, which run one after another, so nothing here is shared between threads.
/// </summary>
internal sealed class AuditScan(AuditRange range, IReadOnlyDictionary<string, AuditedTopic> jobTopics,
    IReadOnlyDictionary<TopicPartition, long> committed)
{
    private const int SampleLimit = 20;
    private readonly List<string> _classNames = [];
    private readonly Dictionary<string, byte> _classCodes = new(StringComparer.Ordinal);
    private readonly List<string> _undecodableSamples = [];

    /// <summary>Every ledger job id (hashed), with how many <c>succeeded</c> entries name an accepted record in range.</summary>
    public Dictionary<ulong, int> LedgerIds { get; } = [];

    /// <summary>The last ledger offset read per partition, so a second pass reads exactly what the first did.</summary>
    public Dictionary<int, long> LedgerEnds { get; } = [];

    public long Undecodable { get; private set; }

    public IReadOnlyList<string> UndecodableSamples => _undecodableSamples;

    public IReadOnlyDictionary<string, AuditedTopic> JobTopics => jobTopics;

    /// <summary>A job-topic record: accepted when in range and not a probe.</summary>
    public void AddJobRecord(LogRecord record)
    {
        if (record.GetHeader(CourierHeaders.Probe) is not null || !range.Contains(record.Timestamp)
            || !jobTopics.TryGetValue(record.Topic, out var topic) || record.Partition >= topic.Partitions.Length)
        {
            return;
        }
        topic.Partitions[record.Partition].Add(record.Offset);
    }

    /// <summary>A ledger record: its entry's outcome goes to the record it names; its job id is remembered.</summary>
    public void AddLedgerRecord(LogRecord record)
    {
        LedgerEnds[record.Partition] = record.Offset;
        if (!TryDecode(record, out var entry))
        {
            return;
        }
        var located = TryLocate(entry.Origin, out var partition, out var index);
        if (located)
        {
            partition.SetOutcome(index, entry.Outcome, ClassCode(entry.Class));
        }
        if (entry.JobId is { } id)
        {
            var hash = JobIdHash.Of(id);
            var successes = LedgerIds.GetValueOrDefault(hash);
            LedgerIds[hash] = located && entry.Outcome == LedgerOutcomes.Succeeded ? successes + 1 : successes;
        }
    }

    /// <summary>Decodes a ledger record; an undecodable one (or an outcome this build does not know) is counted and sampled.</summary>
    public bool TryDecode(LogRecord record, out LedgerEntry entry)
    {
        if (LedgerEntryCodec.TryDecode(record.Value.Span, out var decoded, out var error) && LedgerOutcomes.IsTerminal(decoded.Outcome))
        {
            entry = decoded;
            return true;
        }
        entry = null!;
        Undecodable++;
        if (_undecodableSamples.Count < SampleLimit)
        {
            _undecodableSamples.Add($"{LogPosition.Format(record.Position)}: {error ?? $"unknown outcome '{decoded!.Outcome}'"}");
        }
        return false;
    }

    /// <summary>A retry record (any tier): kept when it is the latest of the job it names.</summary>
    public void AddRetryRecord(LogRecord record)
    {
        if (!OriginHeader.TryRead(record, out var origin) || !TryLocate(origin, out var partition, out var index))
        {
            return;
        }
        OriginHeader.TryLong(record, CourierHeaders.Attempts, out var attempts);
        OriginHeader.TryLong(record, CourierHeaders.BackpressureCount, out var backpressure);
        var mark = new RetryMark(record.Position, record.Timestamp.ToUnixTimeMilliseconds(), attempts, backpressure);
        if (!partition.LastRetry.TryGetValue(index, out var previous) || mark.IsAfter(previous))
        {
            partition.LastRetry[index] = mark;
        }
    }

    /// <summary>A partitioner's copy of a job record.</summary>
    public void AddPartitionedCopy(LogRecord record)
    {
        if (OriginHeader.TryRead(record, out var origin) && TryLocate(origin, out var partition, out var index))
        {
            partition.PartitionedCopy[index] = record.Position;
        }
    }

    /// <summary>A dead letter: terminal <c>dead_lettered</c> for the record it names, unless the ledger says otherwise.</summary>
    public void AddDeadLetter(LogRecord record)
    {
        if (OriginHeader.TryRead(record, out var origin) && TryLocate(origin, out var partition, out var index))
        {
            var failureClass = record.GetHeader(CourierHeaders.FailureClass) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
            partition.SetOutcome(index, LedgerOutcomes.DeadLettered, ClassCode(failureClass), onlyIfNone: true);
        }
    }

    /// <summary>
    /// Sorts every accepted record into its bucket, except the ones that look lost: those are returned for
    /// <see cref="LedgerAudit"/> to match by job id (which needs their ids, read from the log).
    /// </summary>
    public (SortedDictionary<string, AuditCounts> Counts, List<(AuditedTopic Topic, AuditedPartition Partition, int Index)> Lost) Classify()
    {
        var counts = new SortedDictionary<string, AuditCounts>(StringComparer.Ordinal);
        var lost = new List<(AuditedTopic, AuditedPartition, int)>();
        foreach (var topic in jobTopics.Values)
        {
            var typeCounts = counts.TryGetValue(topic.Type, out var existing) ? existing : counts[topic.Type] = new AuditCounts { Type = topic.Type };
            foreach (var partition in topic.Partitions)
            {
                for (var i = 0; i < partition.Count; i++)
                {
                    typeCounts.AddAccepted();
                    if (partition.OutcomeAt(i) is { } outcome)
                    {
                        typeCounts.AddTerminal(outcome, ClassName(partition.ClassAt(i)));
                    }
                    else if (partition.OffsetAt(i) >= partition.Committed
                        || (partition.PartitionedCopy.TryGetValue(i, out var copy) && NotConsumed(copy)))
                    {
                        typeCounts.AddPending();
                    }
                    else if (partition.LastRetry.TryGetValue(i, out var retry) && NotConsumed(retry.Position))
                    {
                        typeCounts.AddInRetry();
                    }
                    else
                    {
                        lost.Add((topic, partition, i));
                    }
                }
            }
        }
        return (counts, lost);
    }

    /// <summary>The accepted record at <paramref name="origin"/> in an audited job topic.</summary>
    public bool TryLocate(TopicPartitionOffset origin, out AuditedPartition partition, out int index)
    {
        partition = null!;
        index = -1;
        return jobTopics.TryGetValue(origin.Topic, out var topic) && topic.TryLocate(origin, out partition, out index);
    }

    /// <summary>At or above the dispatcher group's committed offset of its partition, as read before the scans.</summary>
    private bool NotConsumed(TopicPartitionOffset position) =>
        position.Offset >= committed.GetValueOrDefault(new TopicPartition(position.Topic, position.Partition));

    private byte ClassCode(string? failureClass)
    {
        if (failureClass is null)
        {
            return 0;
        }
        if (!_classCodes.TryGetValue(failureClass, out var code))
        {
            // Failure classes are a handful of wire names; past 254 distinct ones (a corrupt log) they read "unknown".
            if (_classNames.Count >= byte.MaxValue - 1)
            {
                return 0;
            }
            _classNames.Add(failureClass);
            _classCodes[failureClass] = code = (byte)_classNames.Count;
        }
        return code;
    }

    private string? ClassName(byte code) => code == 0 ? null : _classNames[code - 1];
}
