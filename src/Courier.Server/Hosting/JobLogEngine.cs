using Courier.Server.Configuration;
using Courier.Server.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Courier.Server.Hosting;

/// <summary>
/// The job log a service or a command runs on: the embedded SQLite file of a data directory, or Kafka (a cluster's
/// bootstrap list, or a <see cref="KafkaDevCluster"/> in this process). Chosen from the configuration's
/// <c>engine</c> section (<see cref="FromConfig"/>) or by the caller (<c>courier … --kafka</c>).
/// </summary>
public sealed class JobLogEngine
{
    private readonly string? _sqlitePath;
    /// <summary>Fresh Kafka options for each log: a <see cref="KafkaJobLog"/> may be created more than once.</summary>
    private readonly Func<KafkaJobLogOptions>? _kafka;

    private readonly EngineConfig? _kafkaSettings;

    private JobLogEngine(EngineKind kind, string location, string? sqlitePath, Func<KafkaJobLogOptions>? kafka, bool devCluster,
        EngineConfig? kafkaSettings = null)
    {
        _kafkaSettings = kafkaSettings;
        Kind = kind;
        Location = location;
        _sqlitePath = sqlitePath;
        _kafka = kafka;
        IsDevCluster = devCluster;
    }

    /// <summary>Which engine.</summary>
    public EngineKind Kind { get; }

    /// <summary>The engine's name as in logs, metrics and <c>engine.kind</c>: <c>sqlite</c> or <c>kafka</c>.</summary>
    public string Name => Kind == EngineKind.Kafka ? "kafka" : "sqlite";

    /// <summary>Where the log is: the SQLite file's full path, or the Kafka bootstrap servers.</summary>
    public string Location { get; }

    /// <summary>True when the log is a <see cref="KafkaDevCluster"/> (librdkafka's mock brokers) started by this process.</summary>
    public bool IsDevCluster { get; }

    /// <summary>One line for people: <c>sqlite /data/log.db</c>, <c>kafka 127.0.0.1:9092 (development cluster)</c>.</summary>
    public string Describe() => $"{Name} {Location}" + (IsDevCluster ? " (in-process development cluster)" : "");

    /// <summary>The embedded log in <c>&lt;data&gt;/log.db</c>.</summary>
    public static JobLogEngine Sqlite(CourierDataDirectory data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new JobLogEngine(EngineKind.Sqlite, data.LogPath, data.LogPath, null, devCluster: false);
    }

    /// <summary>
    /// Kafka at <paramref name="bootstrapServers"/>, with the librdkafka settings of <paramref name="settings"/>
    /// (the configuration's <c>engine</c> section; its own bootstrap list is not used).
    /// </summary>
    public static JobLogEngine Kafka(string bootstrapServers, EngineConfig? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        return new JobLogEngine(EngineKind.Kafka, bootstrapServers, null, () =>
        {
            var options = new KafkaJobLogOptions { BootstrapServers = bootstrapServers };
            ApplySettings(options, settings);
            return options;
        }, devCluster: false, settings);
    }

    /// <summary>
    /// Kafka on a development cluster in this process: topics are created through the mock's own API, with the
    /// librdkafka settings of <paramref name="settings"/>. The cluster must outlive everything using the engine.
    /// </summary>
    public static JobLogEngine DevCluster(KafkaDevCluster cluster, EngineConfig? settings = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return new JobLogEngine(EngineKind.Kafka, cluster.BootstrapServers, null, () =>
        {
            var options = cluster.CreateJobLogOptions();
            ApplySettings(options, settings);
            return options;
        }, devCluster: true);
    }

    /// <summary>
    /// For a Kafka engine on librdkafka's mock cluster in another process (<c>courier kafka dev</c>), the same engine with
    /// consumer groups on the KIP-848 protocol (<c>group.protocol=consumer</c>); otherwise this engine. Returns whether
    /// it switched. Only for processes that join consumer groups (a dispatcher), and never when the configuration sets
    /// <c>group.protocol</c> or a setting only the classic protocol has.
    /// </summary>
    /// <remarks>
    /// The mock's classic group protocol holds a group in its join phase for the session timeout less one second
    /// (44 s by default) on every membership change — a dispatcher that restarts waits that long for its partitions —
    /// where a real cluster moves them at once; its KIP-848 groups reconcile within a heartbeat, as
    /// <see cref="KafkaDevCluster.CreateJobLogOptions"/> uses in its own process. Real clusters are left as configured.
    /// </remarks>
    public async Task<(JobLogEngine Engine, bool Switched)> ForDispatcherOnDevClusterAsync(CancellationToken cancellationToken = default)
    {
        // Settings of the classic protocol (which KIP-848 moves to the broker) mean the user chose it.
        string[] classicOnly = ["group.protocol", "partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms"];
        if (Kind != EngineKind.Kafka || IsDevCluster || classicOnly.Any(k => _kafkaSettings?.Consumer.ContainsKey(k) == true))
        {
            return (this, false);
        }
        var admin = _kafkaSettings?.Admin ?? new Dictionary<string, string>();
        if (!await KafkaClusterProbe.IsMockClusterAsync(Location, admin, TimeSpan.FromSeconds(5), cancellationToken))
        {
            return (this, false);
        }
        var consumer = new Dictionary<string, string>(_kafkaSettings?.Consumer ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["group.protocol"] = "consumer",
        };
        var settings = new EngineConfig
        {
            Kind = EngineKind.Kafka,
            BootstrapServers = Location,
            Profile = _kafkaSettings?.Profile,
            Producer = _kafkaSettings?.Producer ?? new Dictionary<string, string>(),
            Consumer = consumer,
            Admin = admin,
        };
        return (Kafka(Location, settings), true);
    }

    /// <summary>The configuration's <c>engine</c>: Kafka when <c>kind: kafka</c>, else the embedded log in <paramref name="data"/>.</summary>
    public static JobLogEngine FromConfig(CourierConfig? config, CourierDataDirectory data) =>
        config?.Engine is { Kind: EngineKind.Kafka, BootstrapServers: { } bootstrap } engine
            ? Kafka(bootstrap, engine)
            : Sqlite(data);

    /// <summary>
    /// Opens the log for a command. For SQLite, with <paramref name="mustExist"/> a missing file is a
    /// <see cref="DataFileException"/> (a command that only reads must not create an empty log in a mistyped
    /// directory); Kafka has no such file, and connects on first use.
    /// </summary>
    /// <exception cref="ArgumentException">A librdkafka setting contradicts Courier's guarantees.</exception>
    public IJobLog Open(bool mustExist, int defaultPartitions = 4, ILoggerFactory? loggerFactory = null)
    {
        if (_kafka is null)
        {
            var path = _sqlitePath!;
            var data = new CourierDataDirectory(Path.GetDirectoryName(path)!);
            return data.OpenJobLog(mustExist, defaultPartitions, loggerFactory);
        }
        var options = _kafka();
        options.DefaultPartitions = defaultPartitions;
        options.LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        return new KafkaJobLog(options);
    }

    /// <summary>Registers this engine as the job log of <paramref name="builder"/>.</summary>
    public CourierBuilder Use(CourierBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // UseKafka gives a log without a logger factory of its own the container's.
        return _kafka is null ? builder.UseSqlite(_sqlitePath!) : builder.UseKafka(_kafka());
    }

    /// <summary>The options a Kafka log of this engine is created with (null for SQLite).</summary>
    internal KafkaJobLogOptions? CreateKafkaOptions() => _kafka?.Invoke();

    /// <summary>The librdkafka settings of the configuration's <c>engine</c> section (none without one).</summary>
    internal static KafkaClientSettings? SettingsOf(EngineConfig? engine) => engine is null
        ? null
        : new KafkaClientSettings { Producer = engine.Producer, Consumer = engine.Consumer, Admin = engine.Admin };

    private static void ApplySettings(KafkaJobLogOptions options, EngineConfig? settings)
    {
        if (settings is not null)
        {
            options.Profile = settings.KafkaProfile;
        }
        // The configuration's settings go over what the options already hold (a development cluster's own choices).
        if (SettingsOf(settings) is { } kafkaSettings)
        {
            options.ApplySettings(kafkaSettings);
        }
    }
}
