namespace Courier.Bench;

/// <summary>A whole run: the machine, the settings and each system's results.</summary>
internal sealed record BenchReport
{
    public required MachineInfo Machine { get; init; }
    public required string CommandLine { get; init; }
    public required int Jobs { get; init; }
    public required int LatencyRate { get; init; }
    public required int LatencySeconds { get; init; }
    public required int Backlog { get; init; }
    public required int PhaseLimitSeconds { get; init; }
    public required IReadOnlyList<SystemResult> Systems { get; init; }
}
