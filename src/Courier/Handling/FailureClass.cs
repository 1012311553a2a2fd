namespace Courier;

/// <summary>
/// Why a job did not succeed. Each class is counted and handled differently: decode and permanent failures are
/// dead-lettered at once, retryable ones are retried up to the rule's limit, backpressure waits without spending an
/// attempt.
/// </summary>
public enum FailureClass
{
    /// <summary>The record could not become a job: malformed, oversize, unknown type, params that do not bind. Never retried.</summary>
    Decode,

    /// <summary>A transient failure: exception, 5xx, timeout, crash. Retried up to the rule's limit.</summary>
    Retryable,

    /// <summary>The job can never succeed (4xx, handler says so). Dead-lettered at once.</summary>
    Permanent,

    /// <summary>The executor is overloaded or read-only. Retried later without spending an attempt.</summary>
    Backpressure,
}
