namespace Courier;

/// <summary>
/// librdkafka settings for each kind of client, as written in a configuration file (<c>linger.ms: "5"</c>): they go
/// over a <see cref="KafkaJobLogOptions"/> with <see cref="KafkaJobLogOptions.ApplySettings"/>, and are checked without
/// connecting by <see cref="KafkaSettingsCheck.Check"/>.
/// </summary>
public sealed class KafkaClientSettings
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    /// <summary>Producer settings.</summary>
    public IReadOnlyDictionary<string, string> Producer { get; init; } = None;

    /// <summary>Consumer settings.</summary>
    public IReadOnlyDictionary<string, string> Consumer { get; init; } = None;

    /// <summary>Admin client settings.</summary>
    public IReadOnlyDictionary<string, string> Admin { get; init; } = None;

    /// <summary>Each client kind by its name in a configuration (<c>producer</c>, <c>consumer</c>, <c>admin</c>) with its settings.</summary>
    internal IEnumerable<(string Client, IReadOnlyDictionary<string, string> Settings)> ByClient()
    {
        yield return ("producer", Producer);
        yield return ("consumer", Consumer);
        yield return ("admin", Admin);
    }
}
