namespace Courier;

/// <summary>
/// Topic naming. Defaults match the original system (<c>mediawiki.job.&lt;type&gt;</c>,
/// <c>cpjobqueue.retry.&lt;topic&gt;</c>, <c>cpjobqueue.error</c>; docs/original-system.md) with the service name
/// <c>courier</c> and a delay tier in retry topics: jobs in <c>mediawiki.job.&lt;type&gt;</c>, retries in
/// <c>courier.retry.&lt;tier&gt;.&lt;topic&gt;</c>, dead letters in <c>courier.error</c>.
/// </summary>
public sealed class TopicNames
{
    /// <summary>Prefix of job topics; the job type follows.</summary>
    public string JobTopicPrefix { get; set; } = "mediawiki.job.";

    /// <summary>Service name used in retry and error topic names (the original's <c>cpjobqueue</c>).</summary>
    public string ServiceName { get; set; } = "courier";

    /// <summary>The topic jobs of this type are enqueued to.</summary>
    public string JobTopic(string jobType) => JobTopicPrefix + jobType;

    /// <summary>
    /// The retry topic of a job topic for a delay tier. The original had one retry topic per job topic and slept
    /// per message until due; Courier keeps one topic per tier so every record in a partition has the same delay,
    /// the head is always the first due, and a consumer only pauses the partition until the head is due.
    /// </summary>
    public string RetryTopic(string jobTopic, RetryTier tier)
    {
        ArgumentNullException.ThrowIfNull(tier);
        return $"{ServiceName}.retry.{tier.Name}.{jobTopic}";
    }

    /// <summary>The partitioned topic of a job topic whose rule partitions by a key.</summary>
    public string PartitionedTopic(string jobTopic) => $"{ServiceName}.partitioned.{jobTopic}";

    /// <summary>The dead-letter (error) topic.</summary>
    public string ErrorTopic => $"{ServiceName}.error";
}
