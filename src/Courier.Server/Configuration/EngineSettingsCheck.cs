using Courier.Server.Hosting;

namespace Courier.Server.Configuration;

/// <summary>
/// Checks the librdkafka settings of the configuration's <c>engine</c> section when the file is loaded
/// (<see cref="KafkaSettingsCheck"/>), so a misspelt property or a bad value is a configuration error naming its key,
/// not a failure when the dispatcher starts its first consumer.
/// </summary>
internal static class EngineSettingsCheck
{
    private const string Path = "engine";

    public static void Check(EngineConfig engine, string file)
    {
        if (engine.Kind != EngineKind.Kafka)
        {
            return;
        }
        try
        {
            KafkaSettingsCheck.Check(engine.BootstrapServers ?? "", JobLogEngine.SettingsOf(engine)!);
        }
        catch (KafkaSettingsException e)
        {
            var keyPath = e.Client is null ? Path : e.Key is null ? $"{Path}.{e.Client}" : $"{Path}.{e.Client}.{e.Key}";
            throw new CourierConfigException(file, keyPath, e.Message, innerException: e.InnerException ?? e);
        }
    }
}
