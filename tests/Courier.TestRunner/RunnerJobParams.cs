namespace Courier.TestRunner;

/// <summary>Params of the test runner's job types: what the runner does with each job.</summary>
/// <param name="Index">The job's number in its test, for failure messages.</param>
/// <param name="WorkMilliseconds">Simulated work (honouring the handler's token) before the outcome.</param>
/// <param name="WorkAttempts">Work only on attempts up to this one; 0 works on every attempt.</param>
/// <param name="BlockFile">Before anything else, wait until this file exists (a job held in flight until the test lets go).</param>
/// <param name="StallMilliseconds">
/// With <c>--stall</c>, the runner holds the request this long before its endpoint even sees it: a runner too slow to
/// answer at all (a loaded box, a proxy queue), which its own execution limit cannot cut short.
/// </param>
/// <param name="StallAttempts">Stall only on attempts up to this one; 0 stalls on every attempt.</param>
/// <param name="Permanent">Fail permanently with this reason (the runner answers 422).</param>
/// <param name="Padding">Bulk, to make an event as large as a test needs.</param>
public sealed record RunnerJobParams(
    int Index,
    int WorkMilliseconds = 0,
    int WorkAttempts = 0,
    string? BlockFile = null,
    int StallMilliseconds = 0,
    int StallAttempts = 0,
    string? Permanent = null,
    string? Padding = null);
