namespace Courier.Dispatching.Replays;

/// <summary>How a replayed dead letter's copy ended on this dispatcher (<see cref="Dispatcher.GetReplayOutcome"/>).</summary>
/// <param name="Outcome">
/// The terminal state: <c>succeeded</c>, <c>ignored</c>, <c>dead_lettered</c>, or ended without running
/// (<c>deduplicated</c>, <c>superseded</c>, <c>abandoned</c>, <c>cancelled</c>).
/// </param>
/// <param name="At">When the outcome became durable.</param>
public sealed record ReplayOutcome(string Outcome, DateTimeOffset At);
