namespace Courier.Bench;

/// <summary>What the runner process's probe has seen, as it reports it to the dispatcher's side.</summary>
/// <param name="Executions">Handler executions since the probe was reset.</param>
/// <param name="Duplicates">Latency jobs that ran more than once.</param>
/// <param name="FirstStart"><see cref="System.Diagnostics.Stopwatch"/> timestamp of the first execution, 0 before it.</param>
/// <param name="StartDelays">Start delay of latency job i in Stopwatch ticks, −1 if it has not started (empty without latency jobs).</param>
internal sealed record RunnerProbeSnapshot(long Executions, long Duplicates, long FirstStart, IReadOnlyList<long> StartDelays);
