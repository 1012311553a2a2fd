using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>
/// The <c>engine</c> section of the configuration file: which job log the service runs on. For Kafka, the
/// <c>producer</c>, <c>consumer</c> and <c>admin</c> maps are librdkafka settings passed through as they are
/// (<c>linger.ms</c>, <c>security.protocol</c>, <c>sasl.*</c>, …), as strings.
/// </summary>
public sealed class EngineConfig
{
    /// <summary><c>kind</c>: <c>sqlite</c> (default) or <c>kafka</c>.</summary>
    [ConfigurationKeyName("kind")]
    public EngineKind Kind { get; init; } = EngineKind.Sqlite;

    /// <summary><c>bootstrap_servers</c>: the Kafka brokers, <c>host:port</c> separated by commas (required for kafka).</summary>
    [ConfigurationKeyName("bootstrap_servers")]
    public string? BootstrapServers { get; init; }

    /// <summary>
    /// <c>profile</c>: the librdkafka tuning Courier fills in where <c>producer</c> and <c>consumer</c> set nothing,
    /// <c>throughput</c> (the default) or <c>low-latency</c> (<see cref="KafkaProfile"/>). Kafka only.
    /// </summary>
    [ConfigurationKeyName("profile")]
    public string? Profile { get; init; }

    /// <summary>The <see cref="KafkaProfile"/> <see cref="Profile"/> names (checked when the file is loaded).</summary>
    internal KafkaProfile KafkaProfile => KafkaProfileNames.Parse(Profile) ?? KafkaProfile.Throughput;

    /// <summary><c>producer</c>: librdkafka producer settings.</summary>
    [ConfigurationKeyName("producer")]
    public IReadOnlyDictionary<string, string> Producer { get; set; } = new Dictionary<string, string>();

    /// <summary><c>consumer</c>: librdkafka consumer settings.</summary>
    [ConfigurationKeyName("consumer")]
    public IReadOnlyDictionary<string, string> Consumer { get; set; } = new Dictionary<string, string>();

    /// <summary><c>admin</c>: librdkafka admin client settings.</summary>
    [ConfigurationKeyName("admin")]
    public IReadOnlyDictionary<string, string> Admin { get; set; } = new Dictionary<string, string>();
}
