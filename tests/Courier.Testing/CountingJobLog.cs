namespace Courier.Testing;

/// <summary>
/// Wraps any job log and observes what is asked of it: produce calls, producer disposal, its consumers' pauses and
/// resumes, and the partitions its group consumers hold (as their assignment callbacks report them).
/// </summary>
public sealed class CountingJobLog(IJobLog inner) : DelegatingJobLog(inner)
{
    private readonly Lock _lock = new();
    private readonly HashSet<TopicPartition> _held = [];
    private int _produceCalls;
    private int _producersDisposed;
    private int _pauseCalls;
    private int _resumeCalls;
    private int _singleWatermarkReads;
    private int _batchedWatermarkReads;

    public int ProduceCalls => Volatile.Read(ref _produceCalls);

    /// <summary>Calls of the single-partition <see cref="IJobLog.GetWatermarksAsync(TopicPartition, CancellationToken)"/>.</summary>
    public int SingleWatermarkReads => Volatile.Read(ref _singleWatermarkReads);

    /// <summary>Calls of the batched <see cref="IJobLog.GetWatermarksAsync(IReadOnlyCollection{TopicPartition}, CancellationToken)"/>.</summary>
    public int BatchedWatermarkReads => Volatile.Read(ref _batchedWatermarkReads);

    public override ValueTask<PartitionWatermarks> GetWatermarksAsync(TopicPartition partition, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _singleWatermarkReads);
        return base.GetWatermarksAsync(partition, cancellationToken);
    }

    public override ValueTask<IReadOnlyDictionary<TopicPartition, PartitionWatermarks>> GetWatermarksAsync(
        IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _batchedWatermarkReads);
        return base.GetWatermarksAsync(partitions, cancellationToken);
    }

    public int ProducersDisposed => Volatile.Read(ref _producersDisposed);

    /// <summary>Calls of <see cref="IJobLogConsumer.Pause"/> on any consumer of this log.</summary>
    public int PauseCalls => Volatile.Read(ref _pauseCalls);

    /// <summary>Calls of <see cref="IJobLogConsumer.Resume"/> on any consumer of this log.</summary>
    public int ResumeCalls => Volatile.Read(ref _resumeCalls);

    /// <summary>Partitions the group consumers of this log hold now, as their assigned and revoked callbacks left them.</summary>
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

    public override IJobLogProducer CreateProducer() => new Producer(this, Inner.CreateProducer());

    public override IJobLogConsumer CreateConsumer(JobLogConsumerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var observed = new JobLogConsumerOptions
        {
            GroupId = options.GroupId,
            ClientId = options.ClientId,
            MaxPrefetch = options.MaxPrefetch,
            CommitInterval = options.CommitInterval,
            BackgroundCommitFailed = options.BackgroundCommitFailed,
            PartitionsAssigned = partitions =>
            {
                options.PartitionsAssigned?.Invoke(partitions);
                lock (_lock)
                {
                    _held.UnionWith(partitions);
                }
            },
            PartitionsRevoked = partitions =>
            {
                lock (_lock)
                {
                    _held.ExceptWith(partitions);
                }
                options.PartitionsRevoked?.Invoke(partitions);
            },
        };
        return new Consumer(this, Inner.CreateConsumer(observed));
    }

    private sealed class Producer(CountingJobLog owner, IJobLogProducer inner) : IJobLogProducer
    {
        public ValueTask<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(
            IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._produceCalls);
            return inner.ProduceAsync(records, cancellationToken);
        }

        public void Dispose()
        {
            Interlocked.Increment(ref owner._producersDisposed);
            inner.Dispose();
        }
    }

    private sealed class Consumer(CountingJobLog owner, IJobLogConsumer inner) : IJobLogConsumer
    {
        public IReadOnlyCollection<TopicPartition> Assignment => inner.Assignment;

        public void Subscribe(IReadOnlyCollection<string> topics) => inner.Subscribe(topics);

        public void Assign(IReadOnlyCollection<TopicPartitionOffset> partitions) => inner.Assign(partitions);

        public LogRecord? Consume(TimeSpan timeout, CancellationToken cancellationToken = default) => inner.Consume(timeout, cancellationToken);

        public void Seek(TopicPartitionOffset position) => inner.Seek(position);

        public void Pause(IReadOnlyCollection<TopicPartition> partitions)
        {
            inner.Pause(partitions);
            Interlocked.Increment(ref owner._pauseCalls);
        }

        public void Resume(IReadOnlyCollection<TopicPartition> partitions)
        {
            inner.Resume(partitions);
            Interlocked.Increment(ref owner._resumeCalls);
        }

        public void Commit(IReadOnlyCollection<TopicPartitionOffset> offsets) => inner.Commit(offsets);

        public void StoreOffsets(IReadOnlyCollection<TopicPartitionOffset> offsets) => inner.StoreOffsets(offsets);

        public void Close() => inner.Close();

        public void Dispose() => inner.Dispose();
    }
}
