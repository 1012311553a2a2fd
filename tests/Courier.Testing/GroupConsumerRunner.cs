namespace Courier.Testing;

/// <summary>
/// Runs one group consumer on a thread of its own, as a dispatcher does: it consumes until stopped, journals what it
/// sees, and in its PartitionsRevoked callback commits the position of every partition it gives up.
/// </summary>
internal sealed class GroupConsumerRunner
{
    private readonly IJobLog _log;
    private readonly string _groupId;
    private readonly IReadOnlyCollection<string> _topics;
    private readonly LogJournal _journal;
    private readonly bool _commitEachRecord;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private readonly HashSet<TopicPartition> _held = [];
    private readonly Dictionary<TopicPartition, long> _positions = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];
    private volatile bool _stop;

    private GroupConsumerRunner(
        IJobLog log, string name, string groupId, IReadOnlyCollection<string> topics, LogJournal journal, bool commitEachRecord)
    {
        _log = log;
        Name = name;
        _groupId = groupId;
        _topics = topics;
        _journal = journal;
        _commitEachRecord = commitEachRecord;
    }

    public string Name { get; }

    /// <summary>Partitions held now, as the callbacks reported them.</summary>
    public IReadOnlyCollection<TopicPartition> Held
    {
        get
        {
            lock (_lock)
            {
                return [.. _held];
            }
        }
    }

    /// <summary>The highest offset this consumer committed successfully, per partition.</summary>
    public IReadOnlyDictionary<TopicPartition, long> Committed
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<TopicPartition, long>(_committed);
            }
        }
    }

    /// <summary>Completed when the consumer thread ended; faulted if it failed.</summary>
    public Task Finished => _finished.Task;

    public static GroupConsumerRunner Start(
        IJobLog log, string name, string groupId, IReadOnlyCollection<string> topics, LogJournal journal, bool commitEachRecord)
    {
        var runner = new GroupConsumerRunner(log, name, groupId, topics, journal, commitEachRecord);
        var thread = new Thread(runner.Run) { IsBackground = true, Name = $"consumer {name}" };
        thread.Start();
        return runner;
    }

    /// <summary>Stops consuming and closes the consumer (which revokes, and so commits, its partitions).</summary>
    public Task StopAsync()
    {
        _stop = true;
        return _finished.Task;
    }

    private void Run()
    {
        try
        {
            IJobLogConsumer? consumer = null;
            consumer = _log.CreateConsumer(new JobLogConsumerOptions
            {
                GroupId = _groupId,
                ClientId = Name,
                PartitionsAssigned = partitions =>
                {
                    lock (_lock)
                    {
                        _held.UnionWith(partitions);
                    }
                    _journal.Assigned(Name, partitions);
                },
                PartitionsRevoked = partitions =>
                {
                    var offsets = partitions
                        .Where(_positions.ContainsKey)
                        .Select(p => new TopicPartitionOffset(p.Topic, p.Partition, _positions[p]))
                        .ToList();
                    TryCommit(consumer!, offsets);
                    foreach (var partition in partitions)
                    {
                        _positions.Remove(partition);
                    }
                    _journal.Revoked(Name, partitions);
                    lock (_lock)
                    {
                        _held.ExceptWith(partitions);
                    }
                },
            });
            using (consumer)
            {
                consumer.Subscribe(_topics);
                while (!_stop)
                {
                    var record = consumer.Consume(TimeSpan.FromMilliseconds(50));
                    if (record is null)
                    {
                        continue;
                    }
                    _journal.Delivered(Name, record);
                    var next = new TopicPartitionOffset(record.Topic, record.Partition, record.Offset + 1);
                    _positions[next.TopicPartition] = next.Offset;
                    if (_commitEachRecord)
                    {
                        TryCommit(consumer, [next]);
                    }
                }
                consumer.Close();
            }
            _finished.SetResult();
        }
        catch (Exception ex)
        {
            _finished.SetException(ex);
        }
    }

    /// <summary>
    /// Commits as an owner that may lose the commit: a non-fatal failure (the group rebalancing, this member expelled)
    /// leaves the records past the last commit to be read again by the partition's next owner, which the contract
    /// allows; the next commit, the revoke callback's or the next record's, carries the position otherwise.
    /// </summary>
    private void TryCommit(IJobLogConsumer consumer, IReadOnlyCollection<TopicPartitionOffset> offsets)
    {
        try
        {
            consumer.Commit(offsets);
        }
        catch (JobLogException ex) when (!ex.IsFatal)
        {
            return;
        }
        lock (_lock)
        {
            foreach (var offset in offsets)
            {
                _committed[offset.TopicPartition] = Math.Max(_committed.GetValueOrDefault(offset.TopicPartition), offset.Offset);
            }
        }
    }
}
