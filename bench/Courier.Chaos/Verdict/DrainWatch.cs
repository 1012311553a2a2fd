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
        var topics = await PartitionsAsync(log, ConsumedTopics(courier), cancellationToken);
        var ends = await log.GetWatermarksAsync(topics, cancellationToken);
        var committed = await log.GetCommittedOffsetsAsync(new DispatcherOptions().GroupId, topics, cancellationToken);
        return topics.Sum(p => Math.Max(0, ends[p].High - Math.Max(committed.GetValueOrDefault(p), ends[p].Low)));
    }

    /// <summary>
    /// Partitions of the soak's topics (job, retry, error and ledger) whose first record is no longer offset 0: the
    /// log dropped records before the audit could read them. Kafka's mock cluster does that silently past about
    /// 5 MiB a partition; records it dropped would be missing from the audit's accepted count, not shown as lost, so
    /// the verdict fails on any.
    /// </summary>
    public static async Task<IReadOnlyList<string>> TruncatedAsync(IJobLog log, CancellationToken cancellationToken)
    {
        var courier = new CourierOptions();
        var names = ConsumedTopics(courier);
        names.Add(courier.Topics.ErrorTopic);
        names.Add(courier.Topics.OutcomeLedgerTopic);
        var topics = await PartitionsAsync(log, names, cancellationToken);
        var ends = await log.GetWatermarksAsync(topics, cancellationToken);
        return topics.Where(p => ends[p].Low > 0).Select(p => $"{p.Topic}[{p.Partition}] starts at {ends[p].Low}").ToList();
    }

    private static HashSet<string> ConsumedTopics(CourierOptions courier) =>
        ChaosWorkload.JobTypes.Select(courier.Topics.JobTopic)
            .SelectMany(j => ChaosRules.RetryTiers.Select(d => courier.Topics.RetryTopic(j, new RetryTier(d))).Append(j))
            .ToHashSet(StringComparer.Ordinal);

    private static async Task<List<TopicPartition>> PartitionsAsync(IJobLog log, HashSet<string> names, CancellationToken cancellationToken) =>
        (await log.ListTopicsAsync(cancellationToken))
            .Where(t => names.Contains(t.Name))
            .SelectMany(t => Enumerable.Range(0, t.Partitions).Select(p => new TopicPartition(t.Name, p)))
            .ToList();
}
