namespace Courier.EndToEnd.Reconciliation;

/// <summary>How a scripted job behaves, and the single terminal state it must end in.</summary>
public static class ScriptedBehaviour
{
    /// <summary>Succeeds at once.</summary>
    public const string Succeed = "succeed";

    /// <summary>Fails transiently <c>Failures</c> times, then succeeds (Failures ≤ the rule's retry limit).</summary>
    public const string Transient = "transient";

    /// <summary>Fails permanently on the first attempt: dead-lettered with class permanent, never retried.</summary>
    public const string Permanent = "permanent";

    /// <summary>Fails transiently on every attempt: dead-lettered with class retryable after limit + 1 executions.</summary>
    public const string Forever = "forever";
}
