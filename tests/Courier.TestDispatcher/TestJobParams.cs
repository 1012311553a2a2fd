namespace Courier.TestDispatcher;

/// <summary>Params of the test job type: what the handler does with the job.</summary>
/// <param name="Index">The job's number in its test, for failure messages.</param>
/// <param name="WorkMilliseconds">Simulated work before the outcome.</param>
/// <param name="FailAttempts">The first this-many attempts fail as retryable; the next one succeeds.</param>
/// <param name="Permanent">Fails permanently (dead-lettered) instead of succeeding.</param>
public sealed record TestJobParams(int Index, int WorkMilliseconds = 0, int FailAttempts = 0, bool Permanent = false);
