namespace Courier.Runner.Endpoint;

/// <summary>How one handler invocation ended: its result, the exception it threw (if any), and whether it ended because its token was cancelled.</summary>
internal readonly record struct ExecutionOutcome(JobResult Result, Exception? Exception, bool Cancelled);
