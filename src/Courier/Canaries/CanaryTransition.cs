namespace Courier.Canaries;

/// <summary>One change of a canary's state or weight.</summary>
/// <param name="State">The state entered.</param>
/// <param name="Weight">The weight from then on.</param>
/// <param name="At">When.</param>
/// <param name="Reason">Why (the verdict, or a reset).</param>
public sealed record CanaryTransition(CanaryState State, int Weight, DateTimeOffset At, string Reason);
