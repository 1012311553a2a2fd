namespace Courier.Server.Configuration;

/// <summary>
/// The names of <see cref="KafkaProfile"/> values in a configuration file (<c>engine.profile</c>): <c>throughput</c>
/// and <c>low-latency</c>.
/// </summary>
internal static class KafkaProfileNames
{
    /// <summary>The names an error suggests.</summary>
    public const string Expected = "throughput or low-latency";

    /// <summary>The profile <paramref name="name"/> names, or null when it names none (or is null).</summary>
    public static KafkaProfile? Parse(string? name) => name switch
    {
        "throughput" => KafkaProfile.Throughput,
        "low-latency" => KafkaProfile.LowLatency,
        _ => null,
    };
}
