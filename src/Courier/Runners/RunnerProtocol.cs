namespace Courier;

/// <summary>
/// The wire contract between a dispatcher's HTTP executor and a Courier runner (docs/runners.md). The body of the
/// POST is the job event exactly as it is in the log; these headers travel beside it.
/// </summary>
public static class RunnerProtocol
{
    /// <summary>The path a runner is mapped at by default, named after MediaWiki's endpoint.</summary>
    public const string DefaultPath = "/rpc/RunSingleJob";

    /// <summary>The only accepted request content type.</summary>
    public const string ContentType = "application/json";

    /// <summary>Unix seconds at which the dispatcher signed the request.</summary>
    public const string TimestampHeader = "Courier-Timestamp";

    /// <summary>Which of the shared keys signed the request (keys rotate: a runner accepts several).</summary>
    public const string KeyIdHeader = "Courier-Key-Id";

    /// <summary>Random, fresh for every request (32 lowercase hex characters); signed, so no two requests share a signature.</summary>
    public const string NonceHeader = "Courier-Nonce";

    /// <summary><c>v2=</c> and the lowercase hex HMAC-SHA256 of <see cref="RunnerSignedRequest.CanonicalString"/> (<see cref="RunnerSignature"/>).</summary>
    public const string SignatureHeader = "Courier-Signature";

    /// <summary>The attempt number of this execution (1 for the first).</summary>
    public const string AttemptHeader = "Courier-Attempt";

    /// <summary>How long the dispatcher waits for this request, in milliseconds: the rule's timeout.</summary>
    public const string TimeoutHeader = "Courier-Timeout-Ms";

    /// <summary>
    /// <c>1</c> on a synthetic probe job (absent otherwise): signed as an eleventh line of the v2 canonical string when
    /// present, so it cannot be added to a real job to have it skipped. A runner refuses it under a v1 signature.
    /// </summary>
    public const string ProbeHeader = "Courier-Probe";

    /// <summary>On every runner response: the runner's own execution limit in milliseconds.</summary>
    public const string ExecutionLimitHeader = "Courier-Execution-Limit-Ms";

    /// <summary>
    /// On every Courier runner response: the release the runner runs (its <see cref="CourierOptions.Release"/>). The
    /// dispatcher labels the attempt's outcome, logs and dead letter with it (<see cref="JobResult.Release"/>).
    /// </summary>
    public const string ReleaseHeader = "Courier-Release";

    /// <summary>MediaWiki's RunSingleJob.php sets this (with a 500) when the wiki is read-only.</summary>
    public const string ReadOnlyHeader = "X-Readonly";

    /// <summary>Default of how old a signature may be before a runner refuses it.</summary>
    public static readonly TimeSpan DefaultSignatureWindow = TimeSpan.FromMinutes(5);
}
