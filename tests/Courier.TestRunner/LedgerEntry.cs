namespace Courier.TestRunner;

/// <summary>One row of a runner's ledger: something the runner did with a job.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="Runner">The runner process's name (<c>--name</c>).</param>
/// <param name="Attempt">The attempt the dispatcher said this was (<c>Courier-Attempt</c>).</param>
/// <param name="Event">What happened: see the constants of <see cref="RunnerLedger"/>.</param>
/// <param name="Detail">Why, for failures.</param>
public sealed record LedgerEntry(string JobId, string Runner, int Attempt, string Event, string? Detail);
