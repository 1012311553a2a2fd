namespace Courier.Server.Types;

/// <summary>
/// Lag per job type: the uncommitted records of its job topic, its partitioned topic and its retry tiers (the whole
/// group's), for the API, the console and the sampler however many ask. A read of the log
/// (<see cref="Dispatcher.ReadLagAsync"/>) costs a few round trips on Kafka (one batched watermark read, tens of
/// milliseconds for 200 types; it was a round trip per partition, seconds), and a console polls every 2 s, so callers
/// share reads: the dispatcher's last read (its own refresh, or anyone's) is used while younger than
/// <see cref="MaxAge"/>; an older one starts one shared read and is answered meanwhile; only before any read does a
/// caller wait for one.
/// </summary>
internal sealed class TypeLag(Dispatcher dispatcher, TopicNames names, TimeProvider time)
{
    /// <summary>How long a read is used without starting another.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Lock _sumGate = new();
    private Task<IReadOnlyDictionary<string, long>>? _read;
    private (LagReading Reading, IReadOnlyDictionary<string, long> ByType)? _summed;

    /// <summary>Lag by job type, as of the newest read (see the class).</summary>
    public async Task<IReadOnlyDictionary<string, long>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var last = dispatcher.LastLag;
        if (last is not null && time.GetUtcNow() - last.At < MaxAge)
        {
            return ByType(last);
        }
        Task<IReadOnlyDictionary<string, long>> read;
        lock (_gate)
        {
            if (_read is null || _read.IsCompleted)
            {
                // Not the caller's token: the read is shared, and one caller leaving must not fail the others'.
                _read = ReadCoreAsync();
            }
            read = _read;
        }
        return last is not null ? ByType(last) : await read.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, long>> ReadCoreAsync()
    {
        await dispatcher.ReadLagAsync(CancellationToken.None);
        return ByType(dispatcher.LastLag!);
    }

    /// <summary>A reading summed by type; the last one's sums are kept, so a reading is summed once.</summary>
    private IReadOnlyDictionary<string, long> ByType(LagReading reading)
    {
        lock (_sumGate)
        {
            if (_summed is { } summed && ReferenceEquals(summed.Reading, reading))
            {
                return summed.ByType;
            }
            var byType = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var partition in reading.Partitions)
            {
                if (TypeOf(names, partition.Partition.Topic) is { } type)
                {
                    byType[type] = byType.GetValueOrDefault(type) + partition.Lag;
                }
            }
            _summed = (reading, byType);
            return byType;
        }
    }

    /// <summary>The job type a consumed topic belongs to: its job topic, partitioned topic or a retry tier of either; null otherwise.</summary>
    internal static string? TypeOf(TopicNames names, string topic)
    {
        if (names.TryParseRetryTopic(topic, out _, out var retried))
        {
            topic = retried;
        }
        if (names.TryParsePartitionedTopic(topic, out var jobTopic))
        {
            topic = jobTopic;
        }
        return names.TryParseJobTopic(topic, out var type) ? type : null;
    }
}
