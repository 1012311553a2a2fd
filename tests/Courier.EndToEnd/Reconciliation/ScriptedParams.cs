namespace Courier.EndToEnd.Reconciliation;

/// <summary>
/// Tells <see cref="ScriptedHandler"/> how a job behaves. <see cref="Behaviour"/> is one of
/// <see cref="ScriptedBehaviour"/>'s names; <see cref="Throw"/> picks whether the failure is an exception or a
/// returned <see cref="JobResult"/> (both must route the same way).
/// </summary>
public sealed record ScriptedParams(string Behaviour, int Failures = 0, bool Throw = false, int DelayMs = 0);
