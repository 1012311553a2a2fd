using Xunit;

namespace Courier.Testing;

/// <summary>
/// Drives single-thread consumers on the test's thread until something holds, through <see cref="Eventually.True"/>:
/// each check consumes once from every consumer (which also drives heartbeats and rebalances).
/// </summary>
public static class Consuming
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Consumes from each of <paramref name="consumers"/> in turn until <paramref name="done"/> holds for what was
    /// consumed; returns the records. Fails naming <paramref name="what"/> if it does not within <paramref name="bound"/>.
    /// </summary>
    public static List<LogRecord> Until(Func<IReadOnlyList<LogRecord>, bool> done, string what,
        IReadOnlyList<IJobLogConsumer> consumers, TimeSpan? bound = null)
    {
        var records = new List<LogRecord>();
        Eventually.True(() =>
        {
            if (done(records))
            {
                return true;
            }
            foreach (var consumer in consumers)
            {
                if (consumer.Consume(PollTimeout, TestContext.Current.CancellationToken) is { } record)
                {
                    records.Add(record);
                }
            }
            return done(records);
        }, what, bound, () => $"{records.Count} records consumed");
        return records;
    }

    /// <summary>Consumes exactly <paramref name="count"/> records.</summary>
    public static List<LogRecord> Count(IJobLogConsumer consumer, int count, TimeSpan? bound = null)
    {
        var records = Until(seen => seen.Count >= count, $"{count} records are consumed", [consumer], bound);
        Assert.Equal(count, records.Count);
        return records;
    }

    /// <summary>Consumes until nothing arrives for <paramref name="quietPeriod"/>; returns what did arrive.</summary>
    public static List<LogRecord> UntilQuiet(IJobLogConsumer consumer, TimeSpan quietPeriod, TimeSpan? bound = null)
    {
        var records = new List<LogRecord>();
        Eventually.True(() =>
        {
            if (consumer.Consume(quietPeriod, TestContext.Current.CancellationToken) is not { } record)
            {
                return true;
            }
            records.Add(record);
            return false;
        }, "records stop coming", bound, () => $"{records.Count} records consumed");
        return records;
    }
}
