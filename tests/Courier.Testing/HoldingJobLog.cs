namespace Courier.Testing;

/// <summary>
/// Wraps any job log and holds every produce call that writes to one topic until <see cref="Release"/>: the call
/// reaches this log (<see cref="FirstHeld"/> completes) but not the inner one. Counts those calls and their records, to
/// show how writes to that topic were batched.
/// </summary>
public sealed class HoldingJobLog(IJobLog inner, string topic) : DelegatingJobLog(inner)
{
    private readonly TaskCompletionSource _firstHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _topic = topic;
    private int _calls;
    private int _records;

    /// <summary>Completes when the first produce call to the topic arrived (and is held until <see cref="Release"/>).</summary>
    public Task FirstHeld => _firstHeld.Task;

    /// <summary>Produce calls that wrote to the topic.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Records those calls wrote to the topic.</summary>
    public int Records => Volatile.Read(ref _records);

    /// <summary>Lets the held calls, and every later one, through.</summary>
    public void Release() => _released.TrySetResult();

    public override IJobLogProducer CreateProducer() => new Producer(this, Inner.CreateProducer());

    private sealed class Producer(HoldingJobLog owner, IJobLogProducer inner) : IJobLogProducer
    {
        public async ValueTask<IReadOnlyList<TopicPartitionOffset>> ProduceAsync(
            IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken = default)
        {
            var toTopic = records.Count(r => r.Topic == owner._topic);
            if (toTopic > 0)
            {
                Interlocked.Increment(ref owner._calls);
                Interlocked.Add(ref owner._records, toTopic);
                owner._firstHeld.TrySetResult();
                await owner._released.Task.WaitAsync(cancellationToken);
            }
            return await inner.ProduceAsync(records, cancellationToken);
        }

        public void Dispose() => inner.Dispose();
    }
}
