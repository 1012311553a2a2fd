namespace Courier;

/// <summary>The outcome of decoding a record: an event, or exactly what is wrong with it.</summary>
public readonly record struct JobDecodeResult(JobEvent? Event, string? Error)
{
    /// <summary>True when the record decoded.</summary>
    public bool Success => Event is not null;
}
