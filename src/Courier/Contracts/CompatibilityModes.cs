namespace Courier;

/// <summary>
/// Names and properties of <see cref="CompatibilityMode"/> values. The names are Confluent's: <c>NONE</c>,
/// <c>BACKWARD</c>, <c>BACKWARD_TRANSITIVE</c>, <c>FORWARD</c>, <c>FORWARD_TRANSITIVE</c>, <c>FULL</c>,
/// <c>FULL_TRANSITIVE</c>.
/// </summary>
public static class CompatibilityModes
{
    /// <summary>The mode of a job type that the compatibility configuration does not name.</summary>
    public const CompatibilityMode Default = CompatibilityMode.FullTransitive;

    /// <summary>Every mode's name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Enum.GetValues<CompatibilityMode>().Select(ToWireName).ToArray();

    /// <summary>The mode's name, e.g. <c>FULL_TRANSITIVE</c>.</summary>
    public static string ToWireName(this CompatibilityMode mode) => mode switch
    {
        CompatibilityMode.None => "NONE",
        CompatibilityMode.Backward => "BACKWARD",
        CompatibilityMode.BackwardTransitive => "BACKWARD_TRANSITIVE",
        CompatibilityMode.Forward => "FORWARD",
        CompatibilityMode.ForwardTransitive => "FORWARD_TRANSITIVE",
        CompatibilityMode.Full => "FULL",
        CompatibilityMode.FullTransitive => "FULL_TRANSITIVE",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>Parses a mode name, case-insensitive, with <c>_</c> or <c>-</c> between the words.</summary>
    public static bool TryParse(string? value, out CompatibilityMode mode)
    {
        switch (value?.Trim().Replace('-', '_').ToUpperInvariant())
        {
            case "NONE": mode = CompatibilityMode.None; return true;
            case "BACKWARD": mode = CompatibilityMode.Backward; return true;
            case "BACKWARD_TRANSITIVE": mode = CompatibilityMode.BackwardTransitive; return true;
            case "FORWARD": mode = CompatibilityMode.Forward; return true;
            case "FORWARD_TRANSITIVE": mode = CompatibilityMode.ForwardTransitive; return true;
            case "FULL": mode = CompatibilityMode.Full; return true;
            case "FULL_TRANSITIVE": mode = CompatibilityMode.FullTransitive; return true;
            default: mode = default; return false;
        }
    }

    /// <summary>True when a new version is checked against every earlier version, not only the previous one.</summary>
    public static bool IsTransitive(this CompatibilityMode mode) =>
        mode is CompatibilityMode.BackwardTransitive or CompatibilityMode.ForwardTransitive or CompatibilityMode.FullTransitive;

    /// <summary>True when the mode requires new readers to read old jobs.</summary>
    public static bool ChecksBackward(this CompatibilityMode mode) =>
        mode is CompatibilityMode.Backward or CompatibilityMode.BackwardTransitive or CompatibilityMode.Full or CompatibilityMode.FullTransitive;

    /// <summary>True when the mode requires old readers to read new jobs.</summary>
    public static bool ChecksForward(this CompatibilityMode mode) =>
        mode is CompatibilityMode.Forward or CompatibilityMode.ForwardTransitive or CompatibilityMode.Full or CompatibilityMode.FullTransitive;
}
