namespace Courier.Runner.Http;

/// <summary>
/// A request feature a host sets to bound how long <see cref="BoundedBody"/> may wait for a body, from its first read to
/// its last byte. Kestrel's own minimum data rate is an average, so a client that sends fast and then stalls keeps a
/// request open for long; this deadline does not move.
/// </summary>
public sealed class BodyReadDeadline(TimeSpan timeout)
{
    /// <summary>Longest time from the first read of a body to its last byte.</summary>
    public TimeSpan Timeout { get; } = timeout;
}
