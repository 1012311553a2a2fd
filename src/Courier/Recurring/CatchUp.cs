namespace Courier.Recurring;

/// <summary>What a recurring job does with the ticks it missed while no dispatcher ran (docs/operations.md, "Recurring jobs").</summary>
public enum CatchUp
{
    /// <summary>Missed ticks are dropped: only future ticks enqueue a job.</summary>
    Skip,

    /// <summary>One job, for the latest missed tick, stands for all of them (the default: maintenance that redoes everything).</summary>
    Once,

    /// <summary>One job per missed tick, the latest <see cref="RecurringJob.MaxCatchUp"/> of them.</summary>
    All,
}
