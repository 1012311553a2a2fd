using Microsoft.Extensions.Logging;

namespace Courier.Cli.Logging;

/// <summary>Log lines of <c>courier serve</c> (event ids 3100–3199).</summary>
internal static partial class ServeLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information,
        Message = "Courier serving: engine {Engine} at {Location}, state store {StateStore}, group {GroupId}, job types {JobTypes}, handlers {Handlers}, metrics {MetricsUrl}, admin {AdminUrl}, intake {IntakeUrl}v1/events")]
    public static partial void Started(ILogger logger, string engine, string location, string stateStore, string groupId, string jobTypes, string handlers, string? metricsUrl,
        string? adminUrl, string? intakeUrl);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information,
        Message = "Jobs so far: {Succeeded} succeeded, {DeadLettered} dead-lettered, {Ignored} ignored, {Retried} retries, {InFlight} in flight")]
    public static partial void Progress(ILogger logger, long succeeded, long deadLettered, long ignored, long retried, long inFlight);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Stopping: draining in-flight jobs and committing offsets")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information,
        Message = "Stopped: {Succeeded} succeeded, {DeadLettered} dead-lettered, {Ignored} ignored, {Retried} retries while serving")]
    public static partial void Stopped(ILogger logger, long succeeded, long deadLettered, long ignored, long retried);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information,
        Message = "Kafka development cluster in this process: {Brokers} brokers at {BootstrapServers} (ends with this command)")]
    public static partial void DevCluster(ILogger logger, int brokers, string bootstrapServers);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information,
        Message = "Kafka at {BootstrapServers} is a development cluster (librdkafka's mock): consumer groups use group.protocol=consumer, as its classic protocol stalls every rebalance for the session timeout")]
    public static partial void DevClusterGroups(ILogger logger, string bootstrapServers);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning,
        Message = "Job type {JobType} runs in this process, which has no handler for it: its jobs will be dead-lettered (decode, unknown_type); give its rule a runner pool, or leave the type to a process with its handler")]
    public static partial void NoHandler(ILogger logger, string jobType);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning,
        Message = "Pattern rule {Name} ({Pattern}) runs the types it matches in this process: those without a handler here will be dead-lettered (decode, unknown_type); give it a runner pool")]
    public static partial void PatternInProcess(ILogger logger, string name, string pattern);
}
