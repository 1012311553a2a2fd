namespace Courier.Cli.Rendering;

/// <summary>How a <c>courier up</c> run ended.</summary>
internal enum RunOutcome
{
    /// <summary>Ctrl+C (or SIGTERM), or the run was not asked to exit when idle.</summary>
    Interrupted,

    /// <summary>With <c>--exit-when-idle</c>: the dispatcher was idle several checks in a row.</summary>
    Idle,

    /// <summary>Enqueuing the demo workload failed.</summary>
    EnqueueFailed,
}
