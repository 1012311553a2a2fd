using Xunit;

namespace Courier.Testing;

/// <summary>Reads whole topics from the start with an assigned (group-less) consumer, as an operator's tool would.</summary>
public static class TopicReader
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Every record of <paramref name="topic"/> from its low watermark to the high watermark read at the call; an
    /// absent topic has none. Fails if they do not all arrive within <paramref name="bound"/> (a hang).
    /// </summary>
    public static async Task<IReadOnlyList<LogRecord>> ReadAllAsync(IJobLog log, string topic, TimeSpan? bound = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var description = (await log.ListTopicsAsync(ct)).FirstOrDefault(t => t.Name == topic);
        if (description is null)
        {
            return [];
        }
        var starts = new List<TopicPartitionOffset>();
        var ends = new Dictionary<int, long>();
        for (var p = 0; p < description.Partitions; p++)
        {
            var marks = await log.GetWatermarksAsync(new TopicPartition(topic, p), ct);
            if (marks.High > marks.Low)
            {
                starts.Add(new TopicPartitionOffset(topic, p, marks.Low));
                ends[p] = marks.High;
            }
        }
        var expected = starts.Sum(s => ends[s.Partition] - s.Offset);
        var records = new List<LogRecord>();
        if (expected == 0)
        {
            return records;
        }
        using var consumer = log.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign(starts);
        await Eventually.TrueAsync(async () =>
        {
            // Consume blocks its thread by contract (one thread owns a consumer); keep it off the test's context.
            var record = await Task.Run(() => consumer.Consume(PollTimeout, ct), ct);
            if (record is not null && record.Offset < ends[record.Partition])
            {
                records.Add(record);
            }
            return records.Count >= expected;
        }, $"the {expected} records of {topic} are read", bound, () => ValueTask.FromResult($"{records.Count} read"), TimeSpan.Zero);
        consumer.Close();
        return records;
    }

    /// <summary>The partitions of a topic that exists.</summary>
    public static async Task<IReadOnlyList<TopicPartition>> PartitionsAsync(IJobLog log, string topic)
    {
        var topics = await log.ListTopicsAsync(TestContext.Current.CancellationToken);
        var description = topics.FirstOrDefault(t => t.Name == topic);
        Assert.True(description is not null, $"topic {topic} does not exist; topics: {string.Join(", ", topics.Select(t => t.Name))}");
        return Enumerable.Range(0, description.Partitions).Select(p => new TopicPartition(topic, p)).ToList();
    }

    /// <summary>The error topic read back as dead letters.</summary>
    public static async Task<IReadOnlyList<DeadLetter>> ReadDeadLettersAsync(IJobLog log, CourierOptions options) =>
        (await ReadAllAsync(log, options.Topics.ErrorTopic)).Select(DeadLetter.FromRecord).ToList();
}
