using Courier.Jobs;

namespace Courier;

/// <summary>What a handler says about one execution. Exceptions map too: see <see cref="JobResult.FromException"/>.</summary>
public readonly record struct JobResult
{
    private JobResult(FailureClass? failure, string? message, TimeSpan? retryAfter, string? decodeReason = null)
    {
        Failure = failure;
        Message = message;
        RetryAfter = retryAfter;
        DecodeReason = decodeReason;
    }

    /// <summary>Null when the job succeeded; otherwise the class of failure.</summary>
    public FailureClass? Failure { get; }

    /// <summary>Why the job failed.</summary>
    public string? Message { get; }

    /// <summary>For backpressure: how long to wait before trying again.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>
    /// For a decode failure found by Courier itself, what kind it is (a <c>reason</c> tag of
    /// <c>courier.jobs.decode_failures</c>, see <see cref="DecodeReasons"/>); null when a handler or runner reported it.
    /// </summary>
    internal string? DecodeReason { get; }

    /// <summary>
    /// The release of the executor that ran the attempt when it is not the dispatcher's own (e.g. what an HTTP runner
    /// announced); null: the dispatcher's <see cref="CourierOptions.Release"/>. Labels outcomes, logs and dead letters.
    /// </summary>
    public string? Release { get; init; }

    /// <summary>
    /// Set by an executor whose failure must not count against the job (a <c>courier.held</c> value, e.g. the canary
    /// that ran it): the dispatcher holds it — retried at once with the same attempt — instead of following the rule.
    /// </summary>
    internal string? HeldBy { get; init; }

    /// <summary>True when the job succeeded.</summary>
    public bool IsSuccess => Failure is null;

    /// <summary>The job is done.</summary>
    public static JobResult Success { get; } = new(null, null, null);

    /// <summary>A transient failure: try again after the rule's retry delay.</summary>
    public static JobResult Retry(string message) => new(FailureClass.Retryable, message, null);

    /// <summary>The job can never succeed: dead-letter it now.</summary>
    public static JobResult Fail(string message) => new(FailureClass.Permanent, message, null);

    /// <summary>The job's input cannot be understood: dead-letter it with class <c>decode</c>.</summary>
    public static JobResult Undecodable(string message) => new(FailureClass.Decode, message, null);

    /// <summary>A decode failure Courier found, with its kind (one of <see cref="DecodeReasons"/>).</summary>
    internal static JobResult Undecodable(string message, string reason) => new(FailureClass.Decode, message, null, reason);

    /// <summary>The executor is busy or read-only: try again after <paramref name="retryAfter"/> without spending an attempt.</summary>
    public static JobResult Backpressure(TimeSpan retryAfter, string message) => new(FailureClass.Backpressure, message, retryAfter);

    /// <summary>Maps an exception thrown by a handler to a result.</summary>
    public static JobResult FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            PermanentJobException p => Fail(p.Message),
            JobBackpressureException b => Backpressure(b.RetryAfter, b.Message),
            _ => Retry($"{exception.GetType().Name}: {exception.Message}"),
        };
    }
}
