using System.Globalization;
using System.Text;

namespace Courier.Server.Tests.Support;

/// <summary>Writes error-topic records as the dispatcher would, so the admin commands can be tested without it.</summary>
internal static class DeadLetterSeed
{
    public const string MassMessageEvent =
        """{"$schema":"/mediawiki/job/1.0.0","meta":{"id":"mm-1","dt":"2019-04-17T12:00:00Z","stream":"mediawiki.job.massMessage"},"database":"metawiki","type":"massMessage","params":{"title":{"namespace":3,"dbkey":"Elitre"}}}""";

    public const string RefreshLinksEvent =
        """{"$schema":"/mediawiki/job/1.0.0","meta":{"id":"rl-1","dt":"2019-04-17T12:00:00Z"},"database":"enwiki","type":"refreshLinks","params":{"title":{"namespace":0,"dbkey":"Main_Page"}}}""";

    public static OutgoingRecord Record(TopicNames topics, string? type, FailureClass? failureClass, string? jobId, byte[] value,
        string? key, string? originTopic, int attempts = 1, string message = "it failed")
    {
        var headers = new List<LogHeader>();
        void Add(string name, string? text)
        {
            if (text is not null)
            {
                headers.Add(new LogHeader(name, Encoding.UTF8.GetBytes(text)));
            }
        }
        Add(CourierHeaders.JobType, type);
        Add(CourierHeaders.JobId, jobId);
        Add(CourierHeaders.OriginTopic, originTopic);
        Add(CourierHeaders.FailureClass, failureClass?.ToWireName());
        Add(CourierHeaders.FailureMessage, message);
        Add(CourierHeaders.Attempts, attempts.ToString(CultureInfo.InvariantCulture));
        Add(CourierHeaders.FailedAt, "2019-04-17T12:00:01.0000000+00:00");
        return new OutgoingRecord(topics.ErrorTopic, key, value, headers);
    }

    /// <summary>
    /// Three dead letters: a permanent massMessage, a retryable massMessage (3 attempts), and a refreshLinks record
    /// that was not JSON (decode; no id). Returns their positions in that order.
    /// </summary>
    public static async Task<IReadOnlyList<TopicPartitionOffset>> SeedAsync(IJobLog log, TopicNames topics)
    {
        using var producer = log.CreateProducer();
        return await producer.ProduceAsync(
        [
            Record(topics, "massMessage", FailureClass.Permanent, "mm-1", Encoding.UTF8.GetBytes(MassMessageEvent), "metawiki",
                topics.JobTopic("massMessage"), message: "recipient has opted out"),
            Record(topics, "massMessage", FailureClass.Retryable, "mm-2", Encoding.UTF8.GetBytes(MassMessageEvent.Replace("mm-1", "mm-2", StringComparison.Ordinal)),
                "metawiki", topics.JobTopic("massMessage"), attempts: 3, message: "TimeoutException: backend timed out"),
            Record(topics, "refreshLinks", FailureClass.Decode, null, [0x7b, 0xff, 0x00, 0x01], "enwiki",
                topics.JobTopic("refreshLinks"), message: "not JSON"),
        ]);
    }
}
