using Courier.Server.Admin;

namespace Courier.Cli.Rendering;

/// <summary>
/// Offsets of the job topics and retry topics of some job types at one moment: high watermarks, and where the
/// dispatcher group stands (its committed offset, or the low watermark when it has committed nothing).
/// </summary>
internal sealed class OffsetSnapshot
{
    private readonly Dictionary<TopicPartition, (long Start, long High)> _partitions;
    private readonly Dictionary<string, List<TopicPartition>> _jobPartitions;
    private readonly Dictionary<string, List<TopicPartition>> _retryPartitions;

    private OffsetSnapshot(Dictionary<TopicPartition, (long, long)> partitions, Dictionary<string, List<TopicPartition>> jobPartitions,
        Dictionary<string, List<TopicPartition>> retryPartitions)
    {
        _partitions = partitions;
        _jobPartitions = jobPartitions;
        _retryPartitions = retryPartitions;
    }

    public static async Task<OffsetSnapshot> ReadAsync(IJobLog log, TopicNames names, IReadOnlyCollection<string> jobTypes, string groupId,
        CancellationToken cancellationToken)
    {
        var partitions = new Dictionary<TopicPartition, (long, long)>();
        var jobPartitions = jobTypes.ToDictionary(t => t, _ => new List<TopicPartition>(), StringComparer.Ordinal);
        var retryPartitions = jobTypes.ToDictionary(t => t, _ => new List<TopicPartition>(), StringComparer.Ordinal);
        var consumed = new List<(TopicDescription Topic, TopicKind Kind, string Type)>();
        foreach (var topic in await log.ListTopicsAsync(cancellationToken))
        {
            var (kind, type) = LogStatsReader.Classify(topic.Name, names);
            if (type is not null && kind is (TopicKind.Job or TopicKind.Retry) && jobPartitions.ContainsKey(type))
            {
                consumed.Add((topic, kind, type));
            }
        }
        var all = consumed.SelectMany(c => Enumerable.Range(0, c.Topic.Partitions).Select(p => new TopicPartition(c.Topic.Name, p))).ToList();
        // One read of each for every partition, not a round trip per partition.
        var committed = await log.GetCommittedOffsetsAsync(groupId, all, cancellationToken);
        var watermarks = await log.GetWatermarksAsync(all, cancellationToken);
        foreach (var (topic, kind, type) in consumed)
        {
            // Partitions of a topic that went away after the listing are left out.
            var list = Enumerable.Range(0, topic.Partitions).Select(p => new TopicPartition(topic.Name, p)).Where(watermarks.ContainsKey).ToList();
            foreach (var partition in list)
            {
                var marks = watermarks[partition];
                var start = Math.Max(marks.Low, committed.TryGetValue(partition, out var c) ? c : marks.Low);
                partitions[partition] = (start, marks.High);
            }
            (kind == TopicKind.Job ? jobPartitions : retryPartitions)[type].AddRange(list);
        }
        return new OffsetSnapshot(partitions, jobPartitions, retryPartitions);
    }

    /// <summary>Records of the type's job topic the group has not completed.</summary>
    public long JobBacklog(string type) => Sum(_jobPartitions, type, p => p.High - p.Start);

    /// <summary>Records waiting in the type's retry topics.</summary>
    public long RetryBacklog(string type) => Sum(_retryPartitions, type, p => p.High - p.Start);

    /// <summary>Records appended to the type's job topic since <paramref name="start"/>'s group position.</summary>
    public long AppendedSince(OffsetSnapshot start, string type) =>
        _jobPartitions.TryGetValue(type, out var list)
            ? list.Sum(tp => _partitions[tp].High - (start._partitions.TryGetValue(tp, out var s) ? s.Start : 0))
            : 0;

    private long Sum(Dictionary<string, List<TopicPartition>> byType, string type, Func<(long Start, long High), long> value) =>
        byType.TryGetValue(type, out var list) ? list.Sum(tp => Math.Max(0, value(_partitions[tp]))) : 0;
}
