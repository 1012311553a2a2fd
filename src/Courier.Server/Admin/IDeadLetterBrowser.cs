namespace Courier.Server.Admin;

/// <summary>
/// The dead letters as the admin API and the console browse them: pages from an index of the error topic (so a
/// million dead letters list as fast as ten), one entry by position, replays with a dry run first.
/// </summary>
internal interface IDeadLetterBrowser
{
    /// <summary>A page of matching dead letters, newest first.</summary>
    Task<DeadLetterPage> QueryAsync(DeadLetterQuery query, CancellationToken cancellationToken = default);

    /// <summary>The dead letter at a position of the error topic (headers and original event), or null.</summary>
    Task<DeadLetterEntry?> GetAsync(TopicPartitionOffset position, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replays the dead letters a filter selects, or the given positions (<paramref name="positions"/> non-empty),
    /// skipping those replayed before; a dry run writes nothing and says what would be replayed. Same semantics as
    /// <c>courier dlq replay</c> (<see cref="DeadLetterStore.ReplayAsync"/>).
    /// </summary>
    Task<DeadLetterReplay> ReplayAsync(DeadLetterFilter filter, IReadOnlyList<TopicPartitionOffset>? positions, bool dryRun,
        CancellationToken cancellationToken = default);

    /// <summary>What became of a replayed dead letter's copy; null when it was not replayed.</summary>
    Task<ReplayStatus?> ReplayStatusAsync(TopicPartitionOffset position, CancellationToken cancellationToken = default);
}
