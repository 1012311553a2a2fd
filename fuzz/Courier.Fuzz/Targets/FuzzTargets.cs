namespace Courier.Fuzz.Targets;

/// <summary>Every fuzz target, by name (docs/robustness.md lists what each covers and how long it ran).</summary>
public static class FuzzTargets
{
    /// <summary>All targets, in the order docs/robustness.md lists them.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("decoder", "a job topic record's value: JobGate (codec + params contract) over raw bytes", DecoderTarget.Run),
        new("intake", "a POST /v1/events body: split, each event gated, the answer written", IntakeTarget.Run),
        new("runner", "a runner request: header lines, a blank line, the body; signature checks, decode, contract, answer", RunnerTarget.Run),
        new("config", "a YAML configuration file: loaded, bound and checked", ConfigTarget.Run),
        new("schema", "two params schema documents separated by a line '---': parsed, then compared both ways", SchemaTarget.Run),
    ];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));
}
