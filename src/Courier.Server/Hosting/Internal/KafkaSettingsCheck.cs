using Confluent.Kafka;

namespace Courier.Server.Internal;

/// <summary>
/// Checks the librdkafka settings of the configuration's <c>engine</c> section when the file is loaded, so a
/// misspelt property or a bad value is a configuration error naming its key, not a failure when the dispatcher
/// starts its first consumer.
/// </summary>
internal static class KafkaSettingsCheck
{
    private const string Path = "engine";

    public static void Check(EngineConfig engine, string file)
    {
        if (engine.Kind != EngineKind.Kafka)
        {
            return;
        }
        // Courier's own rules first: settings that contradict its guarantees (acks=0, enable.auto.commit=true, …).
        // The log connects on first use, so creating it here opens nothing.
        try
        {
            _ = new KafkaJobLog(JobLogEngine.OptionsFor(engine));
        }
        catch (ArgumentException e)
        {
            throw new CourierConfigException(file, KeyPathOf(engine, e.Message), e.Message, innerException: e);
        }
        // Then names and values, by librdkafka itself. A client with no brokers to talk to never connects.
        Probe(file, "producer", engine.Producer, settings =>
        {
            using var client = new ProducerBuilder<Null, Null>(new ProducerConfig(settings)).SetLogHandler(Ignore).Build();
        });
        Probe(file, "consumer", engine.Consumer, settings =>
        {
            settings["group.id"] = "courier-configuration-check";
            using var client = new ConsumerBuilder<Null, Null>(new ConsumerConfig(settings)).SetLogHandler(Ignore).Build();
        });
        Probe(file, "admin", engine.Admin, settings =>
        {
            using var client = new AdminClientBuilder(new AdminClientConfig(settings)).SetLogHandler(Ignore).Build();
        });
    }

    private static void Probe(string file, string section, IReadOnlyDictionary<string, string> settings, Action<Dictionary<string, string>> build)
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
            var keyPath = key is null ? $"{Path}.{section}" : $"{Path}.{section}.{key}";
            throw new CourierConfigException(file, keyPath, $"librdkafka refuses it: {e.Message}", innerException: e);
        }
    }

    /// <summary>The key a Courier rule names in its message (<c>librdkafka setting acks=0 is not supported…</c>).</summary>
    private static string KeyPathOf(EngineConfig engine, string message)
    {
        foreach (var (section, settings) in new[] { ("producer", engine.Producer), ("consumer", engine.Consumer), ("admin", engine.Admin) })
        {
            if (settings.Keys.FirstOrDefault(k => message.Contains($" {k}=", StringComparison.Ordinal)) is { } key)
            {
                return $"{Path}.{section}.{key}";
            }
        }
        return Path;
    }

    private static void Ignore(IClient client, LogMessage message)
    {
        // librdkafka's own lines about a client that has no brokers ("No bootstrap.servers configured") say nothing
        // about the settings being checked.
    }
}
