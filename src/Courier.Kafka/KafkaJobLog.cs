using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Courier.Kafka.Configuration;
using Courier.Kafka.Consumer;
using Courier.Kafka.Producer;
using Courier.Kafka.Telemetry;
using Courier.Log;
using Microsoft.Extensions.Logging;

namespace Courier;

/// <summary>
/// The job log on Apache Kafka, through Confluent.Kafka (librdkafka): Courier's engine for more than one machine. Topics,
/// partitions, offsets and consumer groups are Kafka's own; see <see cref="KafkaJobLogOptions"/> for the settings it
/// fixes and the ones that pass through.
/// </summary>
public sealed class KafkaJobLog : IJobLog
{
    private readonly KafkaJobLogOptions _options;
    private readonly ILogger _logger;
    private readonly Lazy<IAdminClient> _admin;
    private readonly ConcurrentDictionary<string, bool> _knownTopics = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>Creates the log; clients connect on first use.</summary>
    /// <exception cref="ArgumentException">The options are incomplete, or a librdkafka setting contradicts Courier's guarantees.</exception>
    public KafkaJobLog(KafkaJobLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Copy();
        _options.Validate();
        // Fail at construction, not on first use, when a passed-through setting contradicts Courier's guarantees.
        _ = ClientConfigs.Producer(_options);
        _ = ClientConfigs.Consumer(_options, new JobLogConsumerOptions(), "courier-validation");
        _logger = _options.LoggerFactory.CreateLogger<KafkaJobLog>();
        _admin = new(() => new AdminClientBuilder(ClientConfigs.Admin(_options))
            .SetLogHandler(LogHandler)
            .SetErrorHandler((client, error) => KafkaLogMessages.ClientError(_logger, client.Name, error.Code.ToString(), error.Reason))
            .Build());
    }

    /// <inheritdoc />
    public string EngineName => "kafka";

    /// <summary>The bootstrap servers the clients use.</summary>
    public string BootstrapServers => _options.BootstrapServers;

    internal KafkaJobLogOptions Options => _options;

    internal ILoggerFactory LoggerFactory => _options.LoggerFactory;

    /// <summary>
    /// Creates the topic with <paramref name="partitions"/> partitions and <see cref="KafkaJobLogOptions.ReplicationFactor"/>
    /// replicas if it does not exist; an existing topic is left as it is.
    /// </summary>
    /// <remarks>
    /// On a <see cref="KafkaDevCluster"/> the topic is created through the mock's own API when the options came from
    /// <see cref="KafkaDevCluster.CreateJobLogOptions"/>. Brokers that do not implement CreateTopics at all (the mock
    /// cluster seen from another process) get the topic auto-created with their default partition count, logged as a
    /// warning when that count is not <paramref name="partitions"/>.
    /// </remarks>
    public ValueTask EnsureTopicAsync(string topic, int partitions, CancellationToken cancellationToken = default) =>
        EnsureTopicAsync(topic, partitions, TopicCleanup.Delete, cancellationToken);

    /// <summary>
    /// As <see cref="EnsureTopicAsync(string, int, CancellationToken)"/>, the topic created with
    /// <c>cleanup.policy=compact</c> when <paramref name="cleanup"/> is <see cref="TopicCleanup.Compact"/> (the broker's
    /// default policy otherwise). An existing topic keeps the policy it has: changing it is an operator's decision.
    /// </summary>
    /// <remarks>
    /// The mock cluster has no topic configurations: on a <see cref="KafkaDevCluster"/>, and on brokers that only
    /// auto-create, the topic is created without the policy (the mock never removes records by key anyway).
    /// </remarks>
    public async ValueTask EnsureTopicAsync(string topic, int partitions, TopicCleanup cleanup, CancellationToken cancellationToken = default)
    {
        TopicNameRules.Validate(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ThrowIfDisposed();
        if (_knownTopics.ContainsKey(topic))
        {
            return;
        }
        if (await PartitionCountAsync(topic, cancellationToken) > 0)
        {
            _knownTopics.TryAdd(topic, true);
            return;
        }
        if (_options.DevCluster is { } devCluster)
        {
            if (devCluster.CreateTopic(topic, partitions, _options.ReplicationFactor))
            {
                KafkaLogMessages.TopicCreated(_logger, topic, partitions);
            }
        }
        else
        {
            try
            {
                await Admin.CreateTopicsAsync(
                    [TopicSpecificationOf(topic, partitions, _options.ReplicationFactor, cleanup)],
                    new CreateTopicsOptions { RequestTimeout = _options.RequestTimeout, OperationTimeout = _options.RequestTimeout })
                    .WaitAsync(cancellationToken);
                KafkaLogMessages.TopicCreated(_logger, topic, partitions);
            }
            catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
                // Another client created it first: fine, creating is idempotent.
            }
            catch (CreateTopicsException ex)
            {
                var failed = ex.Results.First(r => r.Error.Code is not (ErrorCode.NoError or ErrorCode.TopicAlreadyExists));
                throw new JobLogException($"could not create Kafka topic {topic}: {failed.Error.Reason} ({failed.Error.Code})", ex);
            }
            catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_UnsupportedFeature)
            {
                var created = await AutoCreateAsync(topic, cancellationToken);
                if (created == partitions)
                {
                    KafkaLogMessages.TopicCreated(_logger, topic, created);
                }
                else
                {
                    KafkaLogMessages.TopicAutoCreated(_logger, _options.BootstrapServers, ex.Error.Reason, topic, created, partitions);
                }
            }
            catch (KafkaException ex)
            {
                throw new JobLogException($"could not create Kafka topic {topic}: {ex.Error.Reason} ({ex.Error.Code})", ex);
            }
        }
        // Metadata reaches every broker shortly after a create; wait for it so a produce or subscribe right after this
        // call finds the topic.
        var start = Stopwatch.GetTimestamp();
        while (await PartitionCountAsync(topic, cancellationToken) == 0)
        {
            if (Stopwatch.GetElapsedTime(start) >= _options.RequestTimeout)
            {
                throw new JobLogException($"Kafka topic {topic} was created but did not appear in the metadata within {_options.RequestTimeout}.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
        _knownTopics.TryAdd(topic, true);
    }

    /// <summary>What CreateTopics is asked for: the topic, its partitions and replicas, and its cleanup policy when it is compacted.</summary>
    internal static TopicSpecification TopicSpecificationOf(string topic, int partitions, short replicationFactor, TopicCleanup cleanup) => new()
    {
        Name = topic,
        NumPartitions = partitions,
        ReplicationFactor = replicationFactor,
        Configs = cleanup == TopicCleanup.Compact ? new Dictionary<string, string> { ["cleanup.policy"] = "compact" } : null,
    };

    /// <summary>Lists the topics, without Kafka's internal ones (names starting with <c>__</c>).</summary>
    public ValueTask<IReadOnlyList<TopicDescription>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return RunAsync<IReadOnlyList<TopicDescription>>("list topics", () =>
        {
            var metadata = Admin.GetMetadata(_options.RequestTimeout);
            return metadata.Topics
                .Where(t => t.Error.Code == ErrorCode.NoError && !t.Topic.StartsWith("__", StringComparison.Ordinal))
                .Select(t => new TopicDescription(t.Topic, t.Partitions.Count))
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .ToList();
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<PartitionWatermarks> GetWatermarksAsync(TopicPartition partition, CancellationToken cancellationToken = default) =>
        PartitionWatermarks.Of(await GetWatermarksAsync([partition], cancellationToken), partition);

    /// <inheritdoc />
    /// <remarks>
    /// Two admin ListOffsets calls run side by side, one for the earliest and one for the latest offsets; librdkafka
    /// sends each as one request per partition leader.
    /// </remarks>
    public async ValueTask<IReadOnlyDictionary<TopicPartition, PartitionWatermarks>> GetWatermarksAsync(
        IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfDisposed();
        var result = new Dictionary<TopicPartition, PartitionWatermarks>();
        var unique = partitions.Distinct().ToList();
        if (unique.Count == 0)
        {
            return result;
        }
        var earliest = ListOffsetsAsync(unique, OffsetSpec.Earliest(), cancellationToken);
        var latest = ListOffsetsAsync(unique, OffsetSpec.Latest(), cancellationToken);
        var lows = await earliest;
        var highs = await latest;
        foreach (var (partition, high) in highs)
        {
            if (lows.TryGetValue(partition, out var low))
            {
                result[partition] = new PartitionWatermarks(low, high);
            }
        }
        return result;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<TopicPartition, long>> GetCommittedOffsetsAsync(
        string groupId, IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(groupId);
        ArgumentNullException.ThrowIfNull(partitions);
        ThrowIfDisposed();
        var result = new Dictionary<TopicPartition, long>();
        if (partitions.Count == 0)
        {
            // An empty list would ask Kafka for every partition of the group.
            return result;
        }
        try
        {
            var groups = await Admin.ListConsumerGroupOffsetsAsync(
                [new ConsumerGroupTopicPartitions(groupId, partitions.Select(p => new Confluent.Kafka.TopicPartition(p.Topic, p.Partition)).ToList())],
                new ListConsumerGroupOffsetsOptions { RequestTimeout = _options.RequestTimeout })
                .WaitAsync(cancellationToken);
            foreach (var group in groups)
            {
                foreach (var offset in group.Partitions)
                {
                    if (offset.Error.Code == ErrorCode.NoError && offset.Offset.Value >= 0)
                    {
                        result[new TopicPartition(offset.Topic, offset.Partition.Value)] = offset.Offset.Value;
                    }
                }
            }
            return result;
        }
        catch (ListConsumerGroupOffsetsException ex)
        {
            throw new JobLogException($"could not read the committed offsets of group {groupId}: {ex.Error.Reason} ({ex.Error.Code})", ex);
        }
        catch (KafkaException ex)
        {
            throw new JobLogException($"could not read the committed offsets of group {groupId}: {ex.Error.Reason} ({ex.Error.Code})", ex);
        }
    }

    /// <inheritdoc />
    public IJobLogProducer CreateProducer()
    {
        ThrowIfDisposed();
        return new KafkaJobLogProducer(this);
    }

    /// <inheritdoc />
    public IJobLogConsumer CreateConsumer(JobLogConsumerOptions options)
    {
        JobLogConsumerBase.CheckOptions(options);
        // The interval becomes librdkafka's auto.commit.interval.ms.
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CommitInterval, TimeSpan.Zero, nameof(options));
        ThrowIfDisposed();
        return new KafkaJobLogConsumer(this, options);
    }

    /// <summary>Closes the log's admin and query clients. Dispose producers and consumers first; they are separate clients.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Whether the topic is known to exist (created or seen by this instance).</summary>
    internal bool IsKnownTopic(string topic) => _knownTopics.ContainsKey(topic);

    internal void LogHandler(IClient client, LogMessage message) =>
        KafkaLogMessages.Librdkafka(_logger, ClientConfigs.ToLogLevel(message.Level), message.Name, message.Facility, message.Message);

    private IAdminClient Admin => _admin.Value;

    /// <summary>Partitions of the topic per the metadata, or 0 if it does not exist.</summary>
    private ValueTask<int> PartitionCountAsync(string topic, CancellationToken cancellationToken) =>
        RunAsync("read topic metadata", () =>
        {
            var metadata = Admin.GetMetadata(topic, _options.RequestTimeout);
            var description = metadata.Topics.FirstOrDefault(t => t.Topic == topic);
            return description is null || description.Error.Code != ErrorCode.NoError ? 0 : description.Partitions.Count;
        }, cancellationToken);

    /// <summary>Asks for the topic's metadata from a client allowed to auto-create it; returns its partition count.</summary>
    private ValueTask<int> AutoCreateAsync(string topic, CancellationToken cancellationToken) =>
        RunAsync("auto-create a topic", () =>
        {
            using var admin = new AdminClientBuilder(ClientConfigs.Admin(_options, allowAutoCreateTopics: true)).SetLogHandler(LogHandler).Build();
            var start = Stopwatch.GetTimestamp();
            while (true)
            {
                var description = admin.GetMetadata(topic, _options.RequestTimeout).Topics.FirstOrDefault(t => t.Topic == topic);
                if (description is { Error.Code: ErrorCode.NoError } && description.Partitions.Count > 0)
                {
                    return description.Partitions.Count;
                }
                if (Stopwatch.GetElapsedTime(start) >= _options.RequestTimeout)
                {
                    throw new JobLogException($"Kafka topic {topic} could not be auto-created: {description?.Error.Reason ?? "no metadata"}.");
                }
                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(50));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }, cancellationToken);

    /// <summary>Runs a blocking librdkafka call off the caller's thread and translates its errors.</summary>
    private async Task<Dictionary<TopicPartition, long>> ListOffsetsAsync(
        List<TopicPartition> partitions, OffsetSpec spec, CancellationToken cancellationToken)
    {
        var request = partitions.Select(p => new TopicPartitionOffsetSpec
        {
            TopicPartition = new Confluent.Kafka.TopicPartition(p.Topic, p.Partition),
            OffsetSpec = spec,
        }).ToList();
        List<ListOffsetsResultInfo> infos;
        try
        {
            var answer = await Admin.ListOffsetsAsync(request, new ListOffsetsOptions { RequestTimeout = _options.RequestTimeout })
                .WaitAsync(cancellationToken);
            infos = answer.ResultInfos;
        }
        catch (ListOffsetsException ex)
        {
            // Some partitions failed: unknown ones are left out of the answer, anything else fails the read.
            infos = ex.Result.ResultInfos;
        }
        catch (KafkaException ex)
        {
            throw new JobLogException($"Kafka: could not read watermarks: {ex.Error.Reason} ({ex.Error.Code})", ex);
        }
        var offsets = new Dictionary<TopicPartition, long>(infos.Count);
        foreach (var info in infos)
        {
            var entry = info.TopicPartitionOffsetError;
            if (entry.Error.Code == ErrorCode.NoError)
            {
                offsets[new TopicPartition(entry.Topic, entry.Partition.Value)] = entry.Offset.Value;
            }
            else if (entry.Error.Code is not (ErrorCode.UnknownTopicOrPart or ErrorCode.Local_UnknownTopic or ErrorCode.Local_UnknownPartition))
            {
                throw new JobLogException(
                    $"Kafka: could not read watermarks of {entry.Topic}[{entry.Partition.Value}]: {entry.Error.Reason} ({entry.Error.Code})");
            }
        }
        return offsets;
    }

    private static async ValueTask<T> RunAsync<T>(string operation, Func<T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await Task.Run(work, cancellationToken).WaitAsync(cancellationToken);
        }
        catch (KafkaException ex)
        {
            throw new JobLogException($"Kafka: could not {operation}: {ex.Error.Reason} ({ex.Error.Code})", ex);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
