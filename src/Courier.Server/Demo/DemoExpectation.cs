namespace Courier.Server.Demo;

/// <summary>What a demo workload should end in for one job type, given the demo rules' retry limit.</summary>
internal sealed record DemoExpectation
{
    /// <summary>The job type.</summary>
    public required string Type { get; init; }

    /// <summary>Jobs of this type in the workload.</summary>
    public int Jobs { get; init; }

    /// <summary>Jobs that end in success (including those that fail transiently first).</summary>
    public int Succeeded { get; init; }

    /// <summary>Jobs that fail transiently at first and then succeed.</summary>
    public int RetriedThenSucceeded { get; init; }

    /// <summary>Jobs that end in the error topic, by failure class.</summary>
    public IReadOnlyDictionary<FailureClass, int> DeadLetteredByClass { get; init; } = new Dictionary<FailureClass, int>();

    /// <summary>Jobs deduplicated (the same work ran) when the dispatcher has a state store; they succeed without one.</summary>
    public int Deduplicated { get; init; }

    /// <summary>Jobs superseded by a newer root job when the dispatcher has a state store; they succeed without one.</summary>
    public int Superseded { get; init; }

    /// <summary>All jobs that end in the error topic.</summary>
    public int DeadLettered => DeadLetteredByClass.Values.Sum();
}
