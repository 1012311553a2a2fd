namespace Courier.Server.Admin;

/// <summary>A dead letter that was (or, on a dry run, would be) appended to its job topic again.</summary>
/// <param name="DeadLetter">The dead letter.</param>
/// <param name="TargetTopic">The job topic it goes back to.</param>
/// <param name="ReplayedTo">Where the copy landed; null on a dry run.</param>
internal sealed record ReplayedDeadLetter(DeadLetter DeadLetter, string TargetTopic, TopicPartitionOffset? ReplayedTo);
