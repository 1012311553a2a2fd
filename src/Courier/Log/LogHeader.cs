namespace Courier;

/// <summary>A record header: a name and raw bytes, as in Kafka.</summary>
public readonly record struct LogHeader(string Key, byte[] Value);
