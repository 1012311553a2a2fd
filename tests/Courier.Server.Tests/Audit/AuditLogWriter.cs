using System.Globalization;
using System.Text;
using Courier.Ledger;

namespace Courier.Server.Tests.Audit;

/// <summary>
/// Writes what a dispatcher with the outcome ledger on would leave in a log — job records, ledger entries, retry
/// records and dead letters with origin headers, committed offsets — so the audit is tested on a real engine's log.
/// </summary>
internal sealed class AuditLogWriter(IJobLog log, TopicNames names) : IDisposable
{
    private readonly IJobLogProducer _producer = log.CreateProducer();

    public static RetryTier Tier { get; } = new(TimeSpan.FromMinutes(1));

    public string GroupId { get; } = new DispatcherOptions().GroupId;

    /// <summary>Creates the job, retry, error and ledger topics of these types with one partition each, so offsets are known.</summary>
    public async Task CreateTopicsAsync(bool ledger, params string[] types)
    {
        foreach (var type in types)
        {
            await log.EnsureTopicAsync(names.JobTopic(type), 1);
            await log.EnsureTopicAsync(names.RetryTopic(names.JobTopic(type), Tier), 1);
        }
        await log.EnsureTopicAsync(names.ErrorTopic, 1);
        if (ledger)
        {
            await log.EnsureTopicAsync(names.OutcomeLedgerTopic, 1);
        }
    }

    public static string Event(string type, string id) =>
        $$$"""{"$schema":"/mediawiki/job/1.0.0","meta":{"id":"{{{id}}}","dt":"2026-12-05T12:00:00Z"},"database":"enwiki","type":"{{{type}}}","params":{}}""";

    public async Task<TopicPartitionOffset> JobAsync(string type, string id, bool probe = false) =>
        await ProduceAsync(new OutgoingRecord(names.JobTopic(type), "enwiki", Encoding.UTF8.GetBytes(Event(type, id)),
            probe ? [new LogHeader(CourierHeaders.Probe, "1"u8.ToArray())] : null, Partition: 0));

    public Task<TopicPartitionOffset> EntryAsync(TopicPartitionOffset origin, string type, string? id, string outcome,
        string? failureClass = null, string? dispatcher = "host-a:1") =>
        ProduceAsync(Entry(new LedgerEntry
        {
            JobId = id,
            Type = type,
            Origin = origin,
            Outcome = outcome,
            Class = failureClass,
            Dispatcher = dispatcher,
            At = DateTimeOffset.UnixEpoch.AddDays(20000),
        }));

    public OutgoingRecord Entry(LedgerEntry entry) =>
        new(names.OutcomeLedgerTopic, entry.Key, LedgerEntryCodec.Encode(entry), Partition: 0);

    public Task<TopicPartitionOffset> RawLedgerRecordAsync(byte[] value) =>
        ProduceAsync(new OutgoingRecord(names.OutcomeLedgerTopic, "junk", value, Partition: 0));

    public Task<TopicPartitionOffset> RetryAsync(TopicPartitionOffset origin, string type, string id, int attempts, RetryTier? tier = null) =>
        ProduceAsync(new OutgoingRecord(names.RetryTopic(names.JobTopic(type), tier ?? Tier), "enwiki", Encoding.UTF8.GetBytes(Event(type, id)),
            [.. Origin(origin), H(CourierHeaders.JobId, id), H(CourierHeaders.Attempts, attempts.ToString(CultureInfo.InvariantCulture))], Partition: 0));

    /// <summary>A partitioned rule's copy of a job record on the partitioned topic (origin headers name the job record).</summary>
    public async Task<TopicPartitionOffset> PartitionedCopyAsync(TopicPartitionOffset origin, string type, string id)
    {
        await log.EnsureTopicAsync(names.PartitionedTopic(names.JobTopic(type)), 1);
        return await ProduceAsync(new OutgoingRecord(names.PartitionedTopic(names.JobTopic(type)), "enwiki", Encoding.UTF8.GetBytes(Event(type, id)),
            Origin(origin), Partition: 0));
    }

    public Task<TopicPartitionOffset> DeadLetterAsync(TopicPartitionOffset origin, string type, string id, string failureClass) =>
        ProduceAsync(new OutgoingRecord(names.ErrorTopic, "enwiki", Encoding.UTF8.GetBytes(Event(type, id)),
            [.. Origin(origin), H(CourierHeaders.JobType, type), H(CourierHeaders.JobId, id), H(CourierHeaders.FailureClass, failureClass)], Partition: 0));

    /// <summary>Commits the dispatcher group's offset of a partition (the next offset to read), as the dispatcher does.</summary>
    public void Commit(TopicPartitionOffset next)
    {
        using var consumer = log.CreateConsumer(new JobLogConsumerOptions { GroupId = GroupId });
        consumer.Assign([next with { Offset = 0 }]);
        consumer.Commit([next]);
        consumer.Close();
    }

    public async Task<TopicPartitionOffset> ProduceAsync(OutgoingRecord record) => (await _producer.ProduceAsync([record]))[0];

    public void Dispose() => _producer.Dispose();

    private static LogHeader[] Origin(TopicPartitionOffset origin) =>
    [
        H(CourierHeaders.OriginTopic, origin.Topic),
        H(CourierHeaders.OriginPartition, origin.Partition.ToString(CultureInfo.InvariantCulture)),
        H(CourierHeaders.OriginOffset, origin.Offset.ToString(CultureInfo.InvariantCulture)),
    ];

    private static LogHeader H(string key, string value) => new(key, Encoding.UTF8.GetBytes(value));
}
