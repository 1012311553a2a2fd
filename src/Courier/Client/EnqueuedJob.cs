namespace Courier;

/// <summary>A job the log accepted.</summary>
/// <param name="Id">The event id (<c>meta.id</c>).</param>
/// <param name="Type">The job type.</param>
/// <param name="Position">Where the record is in the log.</param>
public sealed record EnqueuedJob(string Id, string Type, TopicPartitionOffset Position);
