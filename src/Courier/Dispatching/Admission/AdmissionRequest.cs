using Courier.Dispatching.Routing;

namespace Courier.Dispatching.Admission;

/// <summary>A decoded job about to run, as the admission checks see it.</summary>
/// <param name="Type">The job's type (its rule and counters).</param>
/// <param name="Event">The decoded job.</param>
/// <param name="Record">The record it was read from (headers: attempt, held, replay, cancel marks).</param>
/// <param name="Kind">Where it was read: the job topic, the partitioned topic or a retry tier.</param>
/// <param name="Attempt">The attempt it is on (1 for a first read).</param>
internal readonly record struct AdmissionRequest(TypeState Type, JobEvent Event, LogRecord Record, RouteKind Kind, int Attempt)
{
    /// <summary>True when read from a retry tier (a retry, a held failure, or a job that waited).</summary>
    public bool IsRetry => Kind == RouteKind.Retry;

    /// <summary>
    /// True for a retry-tier record that, found already handled, is a read of its own to count: a retry record read
    /// again. Not a record that waited on another reader's run (<see cref="CourierHeaders.Claim"/>): it carries on the
    /// start of the read that waited, and ending it deduplicated ends that start.
    /// </summary>
    public bool HandledCountsAStart => IsRetry && Record.GetHeader(CourierHeaders.Claim) is null;

    /// <summary>
    /// The dead-letter position this record is a replayed copy of (<see cref="CourierHeaders.ReplayOf"/>), or null
    /// when it is not a replay.
    /// </summary>
    public string? ReplayOf => Record.GetHeader(CourierHeaders.ReplayOf) is { } value ? System.Text.Encoding.UTF8.GetString(value) : null;
}
