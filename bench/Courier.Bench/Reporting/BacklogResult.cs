namespace Courier.Bench;

/// <summary>Memory while a backlog, enqueued before processing starts, drains.</summary>
internal sealed record BacklogResult
{
    /// <summary>Enqueueing the backlog.</summary>
    public required RateResult Enqueue { get; init; }

    /// <summary>Draining it; its peaks are the memory figures.</summary>
    public required RateResult Drain { get; init; }

    /// <summary>Working set just before the drain started (after a full collection).</summary>
    public required long WorkingSetBeforeDrainBytes { get; init; }

    /// <summary>Managed heap just before the drain started (after a full collection).</summary>
    public required long GcHeapBeforeDrainBytes { get; init; }
}
