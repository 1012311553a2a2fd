namespace Courier.Cli.Rendering;

/// <summary>One job type's line of the live progress.</summary>
internal sealed record TypeProgress
{
    public required string Type { get; init; }

    public long Started { get; init; }

    public long Succeeded { get; init; }

    public long Retried { get; init; }

    public long DeadLettered { get; init; }

    public IReadOnlyDictionary<FailureClass, long> DeadLetteredByClass { get; init; } = new Dictionary<FailureClass, long>();

    public long Ignored { get; init; }

    public long InFlight { get; init; }

    public double Rate { get; init; }

    public long Backlog { get; init; }
}
