using System.Runtime.InteropServices;
using Courier.Ledger;

namespace Courier.Server.Audit;

/// <summary>
/// The accepted records of one job-topic partition, kept compactly for a million-job audit: their offsets in scan
/// (ascending) order and a byte of outcome and a byte of failure class each — about ten bytes a record, no string.
/// The retry and partitioned copies seen for a record are kept only for the few records that have one.
/// </summary>
internal sealed class AuditedPartition(int partition, long committed)
{
    // Outcome: 0 for none, else 1 + index in LedgerOutcomes.All.
    private static readonly string[] Outcomes = [.. LedgerOutcomes.All];
    private static readonly byte SucceededCode = Code(LedgerOutcomes.Succeeded);
    private readonly List<long> _offsets = [];
    private readonly List<byte> _outcomes = [];
    private readonly List<byte> _classes = [];

    /// <summary>The partition number.</summary>
    public int Partition { get; } = partition;

    /// <summary>The dispatcher group's committed offset (read before any scan); 0 when it never committed.</summary>
    public long Committed { get; } = committed;

    /// <summary>Number of accepted records.</summary>
    public int Count => _offsets.Count;

    /// <summary>The last retry record seen per record index.</summary>
    public Dictionary<int, RetryMark> LastRetry { get; } = [];

    /// <summary>The partitioned copy per record index: its partition and offset in the partitioned topic.</summary>
    public Dictionary<int, TopicPartitionOffset> PartitionedCopy { get; } = [];

    public void Add(long offset)
    {
        _offsets.Add(offset);
        _outcomes.Add(0);
        _classes.Add(0);
    }

    public long OffsetAt(int index) => _offsets[index];

    /// <summary>The index of the record at <paramref name="offset"/>, or -1 when it is not an accepted record in range.</summary>
    public int IndexOf(long offset)
    {
        var index = CollectionsMarshal.AsSpan(_offsets).BinarySearch(offset);
        return index >= 0 ? index : -1;
    }

    /// <summary>The record's outcome name, or null when it has none.</summary>
    public string? OutcomeAt(int index) => _outcomes[index] is var code and > 0 ? Outcomes[code - 1] : null;

    public byte ClassAt(int index) => _classes[index];

    public bool IsSucceeded(int index) => _outcomes[index] == SucceededCode;

    /// <summary>
    /// Records an outcome: success wins over anything; otherwise the later entry (in ledger order) wins, unless
    /// <paramref name="onlyIfNone"/> (a dead letter, which only stands in for a missing entry).
    /// </summary>
    public void SetOutcome(int index, string outcome, byte failureClass, bool onlyIfNone = false)
    {
        var current = _outcomes[index];
        if (current == SucceededCode || (onlyIfNone && current != 0))
        {
            return;
        }
        _outcomes[index] = Code(outcome);
        _classes[index] = failureClass;
    }

    private static byte Code(string outcome)
    {
        var index = Array.IndexOf(Outcomes, outcome);
        return index >= 0 ? (byte)(index + 1) : throw new ArgumentException($"not a terminal outcome: {outcome}", nameof(outcome));
    }
}

/// <summary>A retry record of a job: where it is, and what orders it among the job's retry records.</summary>
/// <param name="Position">Its position in its retry topic.</param>
/// <param name="AppendedAt">Its append time (Unix milliseconds).</param>
/// <param name="Attempts">Its <c>courier.attempts</c> header.</param>
/// <param name="Backpressure">Its <c>courier.backpressure</c> header.</param>
internal readonly record struct RetryMark(TopicPartitionOffset Position, long AppendedAt, long Attempts, long Backpressure)
{
    /// <summary>
    /// True when this record was written after <paramref name="other"/>. Along a job's chain of retry records the
    /// attempt number and the backpressure count never go down, so they order the records first; append time only
    /// orders hops that change neither (a delay or a hold). Append time alone would not do: on Kafka it is the
    /// producing dispatcher's clock, and after a rebalance the next record may come from a host whose clock is behind.
    /// </summary>
    public bool IsAfter(RetryMark other) =>
        (Attempts, Backpressure, AppendedAt).CompareTo((other.Attempts, other.Backpressure, other.AppendedAt)) > 0;
}
