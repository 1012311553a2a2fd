namespace Courier.Server.Tests.Support;

/// <summary>Reads every record of a topic with a group-less consumer (the test's own view of the log).</summary>
internal static class LogRead
{
    public static async Task<IReadOnlyList<LogRecord>> AllAsync(IJobLog log, string topic)
    {
        var description = (await log.ListTopicsAsync()).FirstOrDefault(t => t.Name == topic);
        if (description is null)
        {
            return [];
        }
        var expected = 0L;
        var starts = new List<TopicPartitionOffset>();
        for (var p = 0; p < description.Partitions; p++)
        {
            var marks = await log.GetWatermarksAsync(new TopicPartition(topic, p));
            expected += marks.High - marks.Low;
            starts.Add(new TopicPartitionOffset(topic, p, marks.Low));
        }
        var records = new List<LogRecord>();
        if (expected == 0)
        {
            return records;
        }
        using var consumer = log.CreateConsumer(new JobLogConsumerOptions());
        consumer.Assign(starts);
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        while (records.Count < expected && DateTimeOffset.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { } record)
            {
                records.Add(record);
            }
        }
        consumer.Close();
        return records;
    }
}
