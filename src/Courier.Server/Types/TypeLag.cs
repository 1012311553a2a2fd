namespace Courier.Server.Types;

/// <summary>
/// Lag per job type: the uncommitted records of its job topic, its partitioned topic and its retry tiers (the whole
/// group's, <see cref="Dispatcher.ReadLagAsync"/>), read at most once per <see cref="MaxAge"/> however many callers ask
/// (a console polling every 2 s over 200 types, the sampler, the API): concurrent callers share one read.
/// </summary>
internal sealed class TypeLag(Dispatcher dispatcher, TopicNames names, TimeProvider time)
{
    /// <summary>How long a read is reused.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task<IReadOnlyDictionary<string, long>>? _read;
    private DateTimeOffset _readAt;

    /// <summary>Lag by job type; a read younger than <see cref="MaxAge"/> (or one under way) is shared.</summary>
    public Task<IReadOnlyDictionary<string, long>> ReadAsync(CancellationToken cancellationToken = default)
    {
        Task<IReadOnlyDictionary<string, long>> read;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_read is null || _read.IsFaulted || _read.IsCanceled || (_read.IsCompleted && now - _readAt >= MaxAge))
            {
                _readAt = now;
                // Not the caller's token: the read is shared, and one caller leaving must not fail the others'.
                _read = ReadCoreAsync();
            }
            read = _read;
        }
        return read.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, long>> ReadCoreAsync()
    {
        var byType = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var partition in await dispatcher.ReadLagAsync(CancellationToken.None))
        {
            if (TypeOf(names, partition.Partition.Topic) is { } type)
            {
                byType[type] = byType.GetValueOrDefault(type) + partition.Lag;
            }
        }
        return byType;
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
