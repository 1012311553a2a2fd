namespace Courier.Server.Admin;

/// <summary>What <see cref="DeadLetterStore.ReplayAsync"/> did (or, for a dry run, would do).</summary>
internal sealed class DeadLetterReplay
{
    /// <summary>True when nothing was written.</summary>
    public required bool DryRun { get; init; }

    /// <summary>Dead letters replayed (or to replay), with the job-topic position of each copy (null on a dry run).</summary>
    public required IReadOnlyList<ReplayedDeadLetter> Replayed { get; init; }

    /// <summary>Matching dead letters skipped because the replay ledger says they were replayed before.</summary>
    public required int AlreadyReplayed { get; init; }

    /// <summary>Matching dead letters that name no job topic or type, so there is nowhere to replay them.</summary>
    public required IReadOnlyList<DeadLetter> Unroutable { get; init; }

    /// <summary>
    /// Matching dead letters not replayed yet beyond the bound of one request (the index's replay appends at most
    /// 10,000 at a time, oldest first): repeat the request to go on. Always 0 for <c>courier dlq replay</c> on the log.
    /// </summary>
    public long LeftOver { get; init; }
}
