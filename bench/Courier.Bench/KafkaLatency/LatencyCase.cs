using System.Globalization;

namespace Courier.Bench.KafkaLatency;

/// <summary>
/// One tuning both sides of the Kafka start-latency section run with: Courier through its <see cref="KafkaProfile"/>
/// (plus explicit settings where a case goes beyond a profile), the bare pair with the same two values written out.
/// </summary>
/// <param name="Name">Name in the table.</param>
/// <param name="Profile">Courier.Kafka's profile.</param>
/// <param name="FetchWaitMaxMs">The consumers' <c>fetch.wait.max.ms</c>.</param>
/// <param name="LingerMs">The producers' <c>linger.ms</c>.</param>
/// <param name="Explicit">Whether Courier gets the two values as explicit settings (a case no profile makes).</param>
internal sealed record LatencyCase(string Name, KafkaProfile Profile, int FetchWaitMaxMs, int LingerMs, bool Explicit)
{
    /// <summary>Courier.Kafka as it ships: <see cref="KafkaProfile.Throughput"/>.</summary>
    public static LatencyCase Default { get; } = new("default (throughput)", KafkaProfile.Throughput, 25, 5, Explicit: false);

    /// <summary>The documented <see cref="KafkaProfile.LowLatency"/> profile.</summary>
    public static LatencyCase LowLatency { get; } = new("low-latency", KafkaProfile.LowLatency, 5, 5, Explicit: false);

    /// <summary>librdkafka's own defaults for the two values (for reference; not a Courier profile).</summary>
    public static LatencyCase Librdkafka { get; } = new("librdkafka defaults", KafkaProfile.Throughput, 500, 5, Explicit: true);

    /// <summary>The settings line of the report.</summary>
    public string Describe()
    {
        var how = Explicit ? "set explicitly on Courier" : $"Courier: Profile={Profile}";
        return string.Create(CultureInfo.InvariantCulture, $"fetch.wait.max.ms={FetchWaitMaxMs}, linger.ms={LingerMs} ({how})");
    }
}
