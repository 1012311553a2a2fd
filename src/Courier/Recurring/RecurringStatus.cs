namespace Courier.Recurring;

/// <summary>One recurring job as stats and <c>GET /v1/recurring</c> show it.</summary>
public sealed record RecurringStatus
{
    /// <summary>The recurring job's name.</summary>
    public required string Name { get; init; }

    /// <summary>The job type it enqueues.</summary>
    public required string Type { get; init; }

    /// <summary>Its cron expression.</summary>
    public required string Cron { get; init; }

    /// <summary>The IANA time zone the expression is read in.</summary>
    public required string TimeZone { get; init; }

    /// <summary>Its catch-up policy (<c>skip</c>, <c>once</c>, <c>all</c>).</summary>
    public required string CatchUp { get; init; }

    /// <summary>The latest tick a job was enqueued for, by any dispatcher this one knows of (null: none yet).</summary>
    public DateTimeOffset? LastTick { get; init; }

    /// <summary>The next tick (null: the expression has no more).</summary>
    public DateTimeOffset? NextTick { get; init; }

    /// <summary>When this dispatcher last looked for due ticks (null: not yet); the next look is at <see cref="NextTick"/>.</summary>
    public DateTimeOffset? CheckedAt { get; init; }

    /// <summary>Jobs this dispatcher enqueued for it since it started.</summary>
    public long Enqueued { get; init; }
}
