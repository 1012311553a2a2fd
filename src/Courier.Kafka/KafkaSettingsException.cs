namespace Courier;

/// <summary>
/// A librdkafka setting that Courier or librdkafka refuses, found by <see cref="KafkaSettingsCheck.Check"/>: names the
/// client kind and the key when the refusal points at one.
/// </summary>
public sealed class KafkaSettingsException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public KafkaSettingsException() { }

    /// <summary>Creates the exception with a message.</summary>
    public KafkaSettingsException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public KafkaSettingsException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a setting of one client kind.</summary>
    public KafkaSettingsException(string? client, string? key, string message, Exception innerException)
        : base(message, innerException)
    {
        Client = client;
        Key = key;
    }

    /// <summary>The client kind the refused setting belongs to (<c>producer</c>, <c>consumer</c>, <c>admin</c>), when known.</summary>
    public string? Client { get; }

    /// <summary>The refused setting's key, when known (then <see cref="Client"/> is known too).</summary>
    public string? Key { get; }
}
