namespace Courier.Cli;

/// <summary>Exit codes of the <c>courier</c> command (documented in docs/operations.md, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>The command failed: an unexpected error, something not found, or a run whose counts do not reconcile.</summary>
    public const int Failure = 1;

    /// <summary>Bad usage: unknown or invalid flags, invalid input, an unreadable or invalid configuration file.</summary>
    public const int Usage = 2;

    /// <summary>A data file cannot be used: missing, locked or corrupt job log, unusable data directory.</summary>
    public const int DataFile = 3;

    /// <summary>
    /// <c>courier check</c>: the deploy gate's verdict is fail (a job type got worse, a page alert fires, a type is paused);
    /// <c>courier audit</c>: an accepted job is unaccounted for (lost).
    /// </summary>
    public const int CheckFailed = 4;

    /// <summary>
    /// <c>courier check</c>: too few outcomes in the window to judge, and nothing wrong either; <c>courier audit</c>: the
    /// log has no outcome ledger to audit against.
    /// </summary>
    public const int CheckNoData = 5;

    /// <summary>Interrupted by Ctrl+C before the command finished (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
