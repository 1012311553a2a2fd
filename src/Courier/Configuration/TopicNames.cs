using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Courier;

/// <summary>
/// Topic naming. Defaults match the original system (<c>mediawiki.job.&lt;type&gt;</c>,
/// <c>cpjobqueue.retry.&lt;topic&gt;</c>, <c>cpjobqueue.error</c>; docs/original-system.md) with the service name
/// <c>courier</c> and a delay tier in retry topics: jobs in <c>mediawiki.job.&lt;type&gt;</c>, retries in
/// <c>courier.retry.&lt;tier&gt;.&lt;topic&gt;</c>, dead letters in <c>courier.error</c>.
/// </summary>
/// <remarks>
/// The one place topic names are built and read back: job, retry, partitioned and error topics each have a
/// <c>TryParse…</c> or <c>Is…</c> counterpart, so what the dispatcher creates, subscribes to and resolves, and what
/// <c>courier stats</c> classifies, cannot drift apart.
/// </remarks>
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
        return $"{RetryPrefix}{tier.Name}.{jobTopic}";
    }

    /// <summary>The partitioned topic of a job topic whose rule partitions by a key.</summary>
    public string PartitionedTopic(string jobTopic) => PartitionedPrefix + jobTopic;

    /// <summary>The dead-letter (error) topic.</summary>
    public string ErrorTopic => $"{ServiceName}.error";

    /// <summary>
    /// The control topic (<c>courier.control</c> by default): operators' pauses and resumes of job types, keyed
    /// <c>pause/&lt;type&gt;</c>, read by every dispatcher. Meant to be compacted (only each key's latest record matters).
    /// </summary>
    public string ControlTopic => $"{ServiceName}.control";

    /// <summary>
    /// The outcome ledger (<c>courier.outcomes</c> by default): one small record per terminal outcome, keyed by job id,
    /// written before the job's offset is committed (<see cref="DispatcherOptions.OutcomeLedger"/>); compacted on
    /// Kafka. <c>courier audit</c> joins it with the job, retry and error topics.
    /// </summary>
    public string OutcomeLedgerTopic => $"{ServiceName}.outcomes";

    /// <summary>The topic that records dead-letter replays.</summary>
    public string ReplayLedgerTopic => $"{ServiceName}.dlq.replays";

    /// <summary>
    /// A subscription pattern (regular expression, <c>^</c>-anchored) for every retry topic of every job topic,
    /// whatever its tier.
    /// </summary>
    public string AnyRetryTopicPattern => $"^{Regex.Escape(RetryPrefix)}[^.]+\\.{Regex.Escape(JobTopicPrefix)}";

    /// <summary>
    /// Subscription patterns (regular expressions, <c>^</c>-anchored) for every retry topic of the given job topics,
    /// whatever its tier: one pattern per 100 topics, so that librdkafka's regular expression engine, which backtracks
    /// with a bounded stack, can match each (and which has no non-capturing groups). Empty when there are no topics.
    /// </summary>
    public IReadOnlyList<string> RetryTopicPatterns(IEnumerable<string> jobTopics)
    {
        ArgumentNullException.ThrowIfNull(jobTopics);
        var prefix = $"^{Regex.Escape(RetryPrefix)}[^.]+\\.";
        return [.. jobTopics.Distinct(StringComparer.Ordinal).Chunk(RetryPatternTopics)
            .Select(chunk => $"{prefix}({string.Join('|', chunk.Select(Regex.Escape))})$")];
    }

    /// <summary>Most job topics in one pattern of <see cref="RetryTopicPatterns"/>.</summary>
    internal const int RetryPatternTopics = 100;

    /// <summary>Reads the job type back from a job topic; false for any other name, or an empty type.</summary>
    public bool TryParseJobTopic(string topic, [NotNullWhen(true)] out string? jobType)
    {
        ArgumentNullException.ThrowIfNull(topic);
        jobType = topic.Length > JobTopicPrefix.Length && topic.StartsWith(JobTopicPrefix, StringComparison.Ordinal)
            ? topic[JobTopicPrefix.Length..]
            : null;
        return jobType is not null;
    }

    /// <summary>
    /// Reads a retry topic, <c>&lt;service&gt;.retry.&lt;tier&gt;.&lt;topic&gt;</c>, back into its tier name (which has no
    /// dot) and the topic it retries (which may be any non-empty name; see <see cref="TryParseJobTopic"/>).
    /// </summary>
    public bool TryParseRetryTopic(string topic, [NotNullWhen(true)] out string? tierName, [NotNullWhen(true)] out string? retriedTopic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        tierName = retriedTopic = null;
        var prefix = RetryPrefix;
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var afterTier = topic.IndexOf('.', prefix.Length);
        if (afterTier <= prefix.Length || afterTier == topic.Length - 1)
        {
            return false;
        }
        tierName = topic[prefix.Length..afterTier];
        retriedTopic = topic[(afterTier + 1)..];
        return true;
    }

    /// <summary>Reads a partitioned topic back into the job topic it partitions.</summary>
    public bool TryParsePartitionedTopic(string topic, [NotNullWhen(true)] out string? jobTopic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var prefix = PartitionedPrefix;
        jobTopic = topic.Length > prefix.Length && topic.StartsWith(prefix, StringComparison.Ordinal) ? topic[prefix.Length..] : null;
        return jobTopic is not null;
    }

    /// <summary>True for the dead-letter (error) topic.</summary>
    public bool IsErrorTopic(string topic) => string.Equals(topic, ErrorTopic, StringComparison.Ordinal);

    private string RetryPrefix => $"{ServiceName}.retry.";

    private string PartitionedPrefix => $"{ServiceName}.partitioned.";
}
