namespace Courier.Server.Contracts;

/// <summary>A record of the log that no longer decodes with the current build.</summary>
/// <param name="Position">Where it is in the log.</param>
/// <param name="ParamsVersion">Its params version, when it decoded far enough to name one.</param>
/// <param name="Reason">The decode reason.</param>
/// <param name="Error">The message.</param>
internal sealed record ReplayFailure(TopicPartitionOffset Position, string? ParamsVersion, string Reason, string Error);
