using Courier.Log;

namespace Courier.Bench;

/// <summary>
/// A group consumer over <see cref="HeldRecords"/>: subscribing assigns it every partition of the held topic (raised on
/// the first <see cref="JobLogConsumerBase.Consume"/>, where a Kafka consumer raises it), and it serves each partition's
/// records in offset order, a run of <see cref="RunLength"/> from one partition before the next, as a fetch would.
/// Pause, resume, seek, store and commit behave as the engines' consumers do; what was committed or stored is kept, so
/// the bench can check the dispatcher committed every record. Owned by one thread, like any consumer.
/// </summary>
internal sealed class HeldRecordsConsumer : JobLogConsumerBase
{
    /// <summary>Records served from one partition before the next one's turn.</summary>
    public const int RunLength = 64;

    private readonly HeldRecords _records;
    private readonly long[] _next;
    private readonly long[] _committed;
    private readonly bool[] _paused;
    private bool _subscribed;
    private bool _assigned;
    private int _current;
    private int _run;

    public HeldRecordsConsumer(JobLogConsumerOptions options, HeldRecords records) : base(options)
    {
        _records = records;
        var partitions = records.Partitions.Length;
        _next = new long[partitions];
        _committed = new long[partitions];
        _paused = new bool[partitions];
    }

    /// <summary>Records the group committed or stored offsets past, over every partition.</summary>
    public long CommittedRecords => _committed.Sum();

    protected override bool IsAssigned(TopicPartition partition) =>
        _assigned && partition.Topic == _records.Topic && partition.Partition < _next.Length;

    protected override TopicPartition[] SnapshotAssignment() =>
        _assigned ? AllPartitions() : [];

    protected override void SubscribeCore(IReadOnlyCollection<string> topics)
    {
        if (!topics.Contains(_records.Topic))
        {
            throw new InvalidOperationException($"The held records are of {_records.Topic}, not of {string.Join(", ", topics)}.");
        }
        _subscribed = true;
    }

    protected override void AssignCore(IReadOnlyCollection<TopicPartitionOffset> partitions) =>
        throw new NotSupportedException("The held records are served to a group member only.");

    protected override LogRecord? ConsumeCore(TimeSpan timeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_subscribed && !_assigned)
        {
            _assigned = true;
            AssignmentChanged();
            RaisePartitionsAssigned(AllPartitions());
        }
        for (var looked = 0; _assigned && looked <= _next.Length; looked++)
        {
            var p = _current;
            var held = _records.Partitions[p];
            if (!_paused[p] && _next[p] < held.Length && _run < RunLength)
            {
                _run++;
                return held[_next[p]++];
            }
            _current = (p + 1) % _next.Length;
            _run = 0;
        }
        // Nothing ready: wait as a consumer would, for the timeout or the caller's cancellation.
        if (timeout != TimeSpan.Zero)
        {
            cancellationToken.WaitHandle.WaitOne(timeout);
            cancellationToken.ThrowIfCancellationRequested();
        }
        return null;
    }

    protected override void SeekCore(TopicPartitionOffset position) => _next[position.Partition] = position.Offset;

    protected override void PauseCore(IReadOnlyCollection<TopicPartition> partitions) => SetPaused(partitions, true);

    protected override void ResumeCore(IReadOnlyCollection<TopicPartition> partitions) => SetPaused(partitions, false);

    protected override void CommitCore(IReadOnlyCollection<TopicPartitionOffset> offsets) => Keep(offsets);

    protected override void StoreOffsetsCore(IReadOnlyCollection<TopicPartitionOffset> offsets) => Keep(offsets);

    protected override void CloseCore()
    {
        if (_assigned)
        {
            RaisePartitionsRevoked(AllPartitions());
            _assigned = false;
            AssignmentChanged();
        }
    }

    protected override void LeaveWithoutCallbacks() => _assigned = false;

    protected override void ReleaseResources()
    {
    }

    private TopicPartition[] AllPartitions() =>
        Enumerable.Range(0, _next.Length).Select(p => new TopicPartition(_records.Topic, p)).ToArray();

    private void SetPaused(IReadOnlyCollection<TopicPartition> partitions, bool paused)
    {
        foreach (var partition in partitions)
        {
            if (IsAssigned(partition))
            {
                _paused[partition.Partition] = paused;
            }
        }
    }

    private void Keep(IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        foreach (var offset in offsets)
        {
            if (IsAssigned(offset.TopicPartition))
            {
                _committed[offset.Partition] = Math.Max(_committed[offset.Partition], offset.Offset);
            }
        }
    }
}
