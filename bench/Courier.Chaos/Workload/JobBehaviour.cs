namespace Courier.Chaos.Workload;

/// <summary>How a workload job is made to end (through the demo handlers' <c>params.simulate</c>).</summary>
internal enum JobBehaviour
{
    /// <summary>Runs briefly and succeeds.</summary>
    Succeeds,

    /// <summary>Fails transiently on its first attempt or two, then succeeds (within the retry limit).</summary>
    FailsThenSucceeds,

    /// <summary>Fails permanently: dead-lettered <c>permanent</c> at once.</summary>
    FailsPermanently,

    /// <summary>Fails transiently on every attempt: dead-lettered <c>retryable</c> when its retries run out.</summary>
    ExhaustsRetries,

    /// <summary>Works longer than its rule's timeout (or the runner's execution limit) on every attempt.</summary>
    TimesOut,
}
