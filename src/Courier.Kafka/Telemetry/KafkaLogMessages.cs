using Microsoft.Extensions.Logging;

namespace Courier.Kafka.Telemetry;

/// <summary>Log messages of the Kafka job log (event ids 2200–2299).</summary>
internal static partial class KafkaLogMessages
{
    [LoggerMessage(EventId = 2200, Message = "librdkafka {Client} {Facility}: {Text}")]
    public static partial void Librdkafka(ILogger logger, LogLevel level, string client, string facility, string text);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "Kafka client {Client} error {Code}: {Reason}")]
    public static partial void ClientError(ILogger logger, string client, string code, string reason);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Error, Message = "Kafka client {Client} fatal error {Code}: {Reason}")]
    public static partial void FatalError(ILogger logger, string client, string code, string reason);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning,
        Message = "Kafka consumer {Client} could not consume ({Code}: {Reason}); backing off {BackoffMs} ms")]
    public static partial void ConsumeError(ILogger logger, string client, string code, string reason, int backoffMs);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "Kafka consumer {Client} of group {GroupId} was assigned {Partitions}")]
    public static partial void PartitionsAssigned(ILogger logger, string client, string groupId, string partitions);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information, Message = "Kafka consumer {Client} of group {GroupId} is giving up {Partitions}")]
    public static partial void PartitionsRevoked(ILogger logger, string client, string groupId, string partitions);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning,
        Message = "Kafka consumer {Client} of group {GroupId} lost {Partitions} (membership expired); another member may already read them")]
    public static partial void PartitionsLost(ILogger logger, string client, string groupId, string partitions);

    [LoggerMessage(EventId = 2207, Level = LogLevel.Debug, Message = "Created Kafka topic {Topic} with {Partitions} partitions")]
    public static partial void TopicCreated(ILogger logger, string topic, int partitions);

    /// <summary>Only when the counts differ: <paramref name="partitions"/> is what the topic got, <paramref name="requested"/> what was asked for.</summary>
    [LoggerMessage(EventId = 2208, Level = LogLevel.Warning,
        Message = "The brokers at {BootstrapServers} do not implement CreateTopics ({Reason}); topic {Topic} was auto-created with the broker's default of {Partitions} partitions instead of {Requested}")]
    public static partial void TopicAutoCreated(ILogger logger, string bootstrapServers, string reason, string topic, int partitions, int requested);

    [LoggerMessage(EventId = 2209, Level = LogLevel.Error,
        Message = "Kafka producer {Client} hit a fatal error ({Reason}); it is replaced by a new producer")]
    public static partial void ProducerReplaced(ILogger logger, string client, string reason);

    [LoggerMessage(EventId = 2210, Level = LogLevel.Information, Message = "Started a Kafka development cluster of {Brokers} mock brokers at {BootstrapServers}")]
    public static partial void DevClusterStarted(ILogger logger, int brokers, string bootstrapServers);

    [LoggerMessage(EventId = 2211, Level = LogLevel.Warning, Message = "Kafka development cluster: broker {BrokerId} is {State}")]
    public static partial void BrokerState(ILogger logger, int brokerId, string state);

    [LoggerMessage(EventId = 2212, Level = LogLevel.Warning,
        Message = "Kafka development cluster: the next {Count} requests of API key {ApiKey} fail with {Errors}")]
    public static partial void RequestErrorsPushed(ILogger logger, int count, short apiKey, string errors);

    [LoggerMessage(EventId = 2213, Level = LogLevel.Information,
        Message = "Kafka consumer {Client}: commit for group {GroupId} refused for now ({Code}); retrying in {BackoffMs} ms")]
    public static partial void CommitRetried(ILogger logger, string client, string? groupId, string code, int backoffMs);

    [LoggerMessage(EventId = 2214, Level = LogLevel.Warning,
        Message = "Kafka consumer {Client}: background commit for group {GroupId} failed, the stored offsets go with the next one: {Failure}")]
    public static partial void BackgroundCommitFailed(ILogger logger, string client, string? groupId, string failure);

    [LoggerMessage(EventId = 2215, Level = LogLevel.Debug,
        Message = "Kafka consumer {Client}: background commit for group {GroupId} failed (reported to the owner): {Failure}")]
    public static partial void BackgroundCommitFailedReported(ILogger logger, string client, string? groupId, string failure);

    [LoggerMessage(EventId = 2216, Level = LogLevel.Debug,
        Message = "Kafka consumer {Client}: metadata before the first join failed ({Code}: {Reason}); the group joins once librdkafka has it")]
    public static partial void MetadataBeforeJoinFailed(ILogger logger, string client, string code, string reason);

    [LoggerMessage(EventId = 2217, Level = LogLevel.Debug,
        Message = "Kafka consumer {Client}: could not store {Offset} before committing it ({Code}; closing: {Closing})")]
    public static partial void StoreBeforeCommitFailed(ILogger logger, string client, string offset, string code, bool closing);
}
