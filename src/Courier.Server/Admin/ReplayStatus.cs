namespace Courier.Server.Admin;

/// <summary>
/// What became of a replayed dead letter's copy, as far as this dispatcher saw it run
/// (<see cref="IDeadLetterBrowser.ReplayStatusAsync"/>).
/// </summary>
/// <param name="ReplayedTo">Where the copy was appended.</param>
/// <param name="Outcome">
/// <c>pending</c> (not ended yet, or run by another dispatcher), or the copy's terminal state: <c>succeeded</c>,
/// <c>dead_lettered</c>, <c>ignored</c>, <c>deduplicated</c>, <c>superseded</c>, <c>abandoned</c>, <c>cancelled</c>.
/// </param>
/// <param name="At">When it ended; null while pending.</param>
/// <param name="DeadLetteredAgainAt">The new dead letter's position when it failed again.</param>
internal sealed record ReplayStatus(string ReplayedTo, string Outcome, DateTimeOffset? At, string? DeadLetteredAgainAt);
