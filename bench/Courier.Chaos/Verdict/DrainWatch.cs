using Courier.Chaos.Workload;

namespace Courier.Chaos.Verdict;

/// <summary>
/// How far the dispatchers' group is behind: uncommitted records in the workload's job topics and their retry
/// topics, read from the log (watermarks against the group's committed offsets). A cheap check, asked before the
/// audit is run, so the harness does not run a whole audit while plainly nothing has settled.
/// </summary>
internal static class DrainWatch
{
    public static async Task<long> LagAsync(IJobLog log, CancellationToken cancellationToken)
    {
        var courier = new CourierOptions();
        var watched = ChaosWorkload.JobTypes.Select(courier.Topics.JobTopic)
            .SelectMany(j => ChaosRules.RetryTiers.Select(d => courier.Topics.RetryTopic(j, new RetryTier(d))).Append(j))
            .ToHashSet(StringComparer.Ordinal);
        var topics = (await log.ListTopicsAsync(cancellationToken))
            .Where(t => watched.Contains(t.Name))
            .SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => new TopicPartition(t.Name, p)))
            .ToList();
        var ends = await log.GetWatermarksAsync(topics, cancellationToken);
        var committed = await log.GetCommittedOffsetsAsync(new DispatcherOptions().GroupId, topics, cancellationToken);
        return topics.Sum(p => Math.Max(0, ends[p].High - Math.Max(committed.GetValueOrDefault(p), ends[p].Low)));
    }
}
