namespace Courier.Bench;

/// <summary>
/// What the parse-and-dispatch baseline and the Wolverine listener read from a Courier job record: the minimum a real
/// consumer of these records needs (the job's type and wiki to route, its id and time to log, and its typed params),
/// deserialized with System.Text.Json from the whole value; the other envelope fields are skipped.
/// </summary>
/// <remarks>Public because Wolverine's generated handler code names it.</remarks>
public sealed record PeerJob
{
    /// <summary>The job type (<c>type</c>).</summary>
    public required string Type { get; init; }

    /// <summary>The wiki (<c>database</c>).</summary>
    public required string Database { get; init; }

    /// <summary>The event's <c>meta</c> (id and time).</summary>
    public required PeerJobMeta Meta { get; init; }

    /// <summary>The job's params.</summary>
    public required PeerParams Params { get; init; }
}
