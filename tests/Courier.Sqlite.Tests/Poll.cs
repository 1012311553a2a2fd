using Xunit;

namespace Courier.Sqlite.Tests;

/// <summary>Bounded polling for tests that drive consumers on the test thread.</summary>
internal static class Poll
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    /// <summary>Calls Consume on each consumer in turn (which drives heartbeats and rebalances) until the condition holds.</summary>
    public static List<LogRecord> Until(Func<bool> condition, string what, params IJobLogConsumer[] consumers)
    {
        var records = new List<LogRecord>();
        var deadline = DateTime.UtcNow + Limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up after {Limit} waiting until {what}.");
            foreach (var consumer in consumers)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken) is { } record)
                {
                    records.Add(record);
                }
            }
        }
        return records;
    }

    /// <summary>Consumes exactly <paramref name="count"/> records within the limit.</summary>
    public static List<LogRecord> Count(IJobLogConsumer consumer, int count)
    {
        var records = new List<LogRecord>();
        var deadline = DateTime.UtcNow + Limit;
        while (records.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up after {Limit} with {records.Count} of {count} records.");
            if (consumer.Consume(TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken) is { } record)
            {
                records.Add(record);
            }
        }
        return records;
    }
}
