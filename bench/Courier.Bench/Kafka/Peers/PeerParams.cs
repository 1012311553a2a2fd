namespace Courier.Bench;

/// <summary>The no-op job's params as the peers bind them (the same two values as <see cref="NoopParams"/>).</summary>
/// <param name="Sequence">Number of the job within its phase.</param>
/// <param name="EnqueueTimestamp">Stopwatch timestamp taken just before the job was enqueued.</param>
public sealed record PeerParams(long Sequence, long EnqueueTimestamp);
