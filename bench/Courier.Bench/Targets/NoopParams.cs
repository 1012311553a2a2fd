namespace Courier.Bench;

/// <summary>Params of Courier's no-op job: the same two values Hangfire's no-op job gets as arguments.</summary>
/// <param name="Sequence">Number of the job within its phase.</param>
/// <param name="EnqueueTimestamp">Stopwatch timestamp taken just before the job was enqueued.</param>
internal sealed record NoopParams(long Sequence, long EnqueueTimestamp);
