namespace Courier.Server.Audit;

/// <summary>A job id with more than one <c>succeeded</c> entry in the ledger: it ran more than once.</summary>
/// <param name="JobId">The job id.</param>
/// <param name="Type">The job type.</param>
/// <param name="Successes">Each success, in ledger order.</param>
internal sealed record AuditDuplicate(string JobId, string Type, IReadOnlyList<AuditSuccess> Successes);

/// <summary>One <c>succeeded</c> entry of a duplicate.</summary>
/// <param name="Origin">The origin the entry names.</param>
/// <param name="Dispatcher">The dispatcher that wrote it (<c>host:pid</c>), when known.</param>
/// <param name="At">When it became durable.</param>
internal sealed record AuditSuccess(TopicPartitionOffset Origin, string? Dispatcher, DateTimeOffset At);
