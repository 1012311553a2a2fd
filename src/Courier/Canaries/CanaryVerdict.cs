namespace Courier.Canaries;

/// <summary>The judgement of a canary on its window.</summary>
/// <param name="Failing">True when the gate or the judge found the canary worse than stable.</param>
/// <param name="Conclusive">True when the window holds enough canary attempts to judge (the gate's min samples, overall).</param>
/// <param name="Reason">Why, in words: which check, on which job types, with which numbers.</param>
/// <param name="Types">The job types the canary failed on (empty unless failing, or overall only).</param>
public sealed record CanaryVerdict(bool Failing, bool Conclusive, string Reason, IReadOnlyList<string> Types);
