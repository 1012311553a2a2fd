namespace Courier.Server.Intake;

/// <summary>One posted event's outcome: accepted (no error, a position once appended) or rejected with its reason.</summary>
internal readonly record struct IntakeEventResult(int Index, string? Id, string? Type, string? Reason, string? Error)
{
    public TopicPartitionOffset? Position { get; init; }
}
