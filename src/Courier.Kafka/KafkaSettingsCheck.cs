using Confluent.Kafka;

namespace Courier;

/// <summary>
/// Checks librdkafka settings without connecting anywhere, so that a misspelt property or a bad value is reported with
/// its key when a configuration is loaded, not when the first consumer starts.
/// </summary>
public static class KafkaSettingsCheck
{
    /// <summary>
    /// Checks <paramref name="settings"/> first against Courier's own rules (settings that contradict its guarantees, such
    /// as <c>acks=0</c> or <c>enable.auto.commit=false</c>), then names and values against librdkafka itself.
    /// </summary>
    /// <exception cref="KafkaSettingsException">A setting is refused; names the client kind and key when it can.</exception>
    public static void Check(string bootstrapServers, KafkaClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // Courier's rules: the log checks them when it is created, and connects only on first use.
        try
        {
            var options = new KafkaJobLogOptions { BootstrapServers = bootstrapServers ?? "" };
            options.ApplySettings(settings);
            _ = new KafkaJobLog(options);
        }
        catch (ArgumentException e)
        {
            // A rule names the setting in its message (librdkafka setting acks=0 is not supported…).
            foreach (var (client, clientSettings) in settings.ByClient())
            {
                if (clientSettings.Keys.FirstOrDefault(k => e.Message.Contains($" {k}=", StringComparison.Ordinal)) is { } key)
                {
                    throw new KafkaSettingsException(client, key, e.Message, e);
                }
            }
            throw new KafkaSettingsException(null, null, e.Message, e);
        }
        // librdkafka's own checks. A client with no brokers to talk to never connects.
        Probe("producer", settings.Producer, values =>
        {
            using var client = new ProducerBuilder<Null, Null>(new ProducerConfig(values)).SetLogHandler(Ignore).Build();
        });
        Probe("consumer", settings.Consumer, values =>
        {
            values["group.id"] = "courier-configuration-check";
            using var client = new ConsumerBuilder<Null, Null>(new ConsumerConfig(values)).SetLogHandler(Ignore).Build();
        });
        Probe("admin", settings.Admin, values =>
        {
            using var client = new AdminClientBuilder(new AdminClientConfig(values)).SetLogHandler(Ignore).Build();
        });
    }

    private static void Probe(string client, IReadOnlyDictionary<string, string> settings, Action<Dictionary<string, string>> build)
    {
        if (settings.Count == 0)
        {
            return;
        }
        var copy = settings.Where(kv => kv.Key != "bootstrap.servers").ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        try
        {
            build(copy);
        }
        catch (Exception e) when (e is ArgumentException or KafkaException or InvalidOperationException)
        {
            // librdkafka names the property (or, for an alias such as compression.type, the property it stands for,
            // and then the value): find the key the message is about.
            var key = settings.Keys.FirstOrDefault(k => e.Message.Contains($"\"{k}\"", StringComparison.Ordinal))
                ?? settings.FirstOrDefault(kv => e.Message.Contains($"\"{kv.Value}\"", StringComparison.Ordinal)).Key;
            throw new KafkaSettingsException(client, key, $"librdkafka refuses it: {e.Message}", e);
        }
    }

    private static void Ignore(IClient client, LogMessage message)
    {
        // librdkafka's own lines about a client that has no brokers ("No bootstrap.servers configured") say nothing
        // about the settings being checked.
    }
}
