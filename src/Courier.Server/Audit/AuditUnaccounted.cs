namespace Courier.Server.Audit;

/// <summary>A lost job: its record in its job topic, and its id when the record decodes.</summary>
/// <param name="Type">The job type.</param>
/// <param name="Position">The record's position in its job topic.</param>
/// <param name="JobId">Its <c>meta.id</c>, or null.</param>
internal sealed record AuditUnaccounted(string Type, TopicPartitionOffset Position, string? JobId);
