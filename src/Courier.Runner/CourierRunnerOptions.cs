namespace Courier;

/// <summary>
/// Settings of a runner endpoint (<see cref="CourierRunnerServiceCollectionExtensions.AddCourierRunner(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{CourierRunnerOptions}?)"/>).
/// Validated when the endpoint is mapped or the host starts, whichever comes first.
/// </summary>
public sealed class CourierRunnerOptions
{
    /// <summary>Default of <see cref="ExecutionLimit"/>: 60 seconds.</summary>
    public static readonly TimeSpan DefaultExecutionLimit = TimeSpan.FromSeconds(60);

    /// <summary>Default of <see cref="MaxConcurrency"/>.</summary>
    public const int DefaultMaxConcurrency = 128;

    /// <summary>Default of <see cref="ReplayCacheCapacity"/>.</summary>
    public const int DefaultReplayCacheCapacity = 1_000_000;

    /// <summary>Default of <see cref="RetryAfter"/>: 5 seconds.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Keys a request may be signed with (all are accepted, so a key rotates by adding the new one first). When
    /// empty, the keys of the <c>COURIER_RUNNER_KEYS</c> environment variable (<see cref="RunnerKey.EnvironmentVariable"/>).
    /// </summary>
    public IList<RunnerKey> Keys { get; } = new List<RunnerKey>();

    /// <summary>
    /// Refuse requests without a valid, fresh signature with 403 (default true). With no keys configured the runner
    /// refuses to start unless this is set to false; false skips signature checks altogether (development only).
    /// </summary>
    public bool RequireSignature { get; set; } = true;

    /// <summary>How far a request's signing time may lie from the runner's clock, either way (default 5 minutes).</summary>
    public TimeSpan SignatureWindow { get; set; } = RunnerProtocol.DefaultSignatureWindow;

    /// <summary>
    /// Also accept protocol v1 signatures (timestamp and body only; default false), while dispatchers that sign v1 are
    /// upgraded. Logged at warning when the runner starts.
    /// </summary>
    public bool AcceptV1Signatures { get; set; }

    /// <summary>
    /// Most signatures remembered at once to refuse replays (default 1,000,000, about 70 MB when full). Each is kept
    /// until its timestamp leaves <see cref="SignatureWindow"/>; when this many are live, new requests are answered 503
    /// (backpressure) until the oldest expire.
    /// </summary>
    public int ReplayCacheCapacity { get; set; } = DefaultReplayCacheCapacity;

    /// <summary>
    /// The longest one execution may run (default 60 s). At the limit the handler's token is cancelled and the answer
    /// is 504 (retryable). A dispatcher's <c>Courier-Timeout-Ms</c> lowers it for that request.
    /// </summary>
    public TimeSpan ExecutionLimit { get; set; } = DefaultExecutionLimit;

    /// <summary>Executions allowed at once (default 128); one more is answered 429 with <c>Retry-After</c>.</summary>
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>Largest request body accepted (413 above it). Null: the codec's <see cref="CourierOptions.MaxEventBytes"/>.</summary>
    public int? MaxBodyBytes { get; set; }

    /// <summary>While this returns true, jobs are answered 423 with <c>Retry-After</c> (for example, during maintenance).</summary>
    public Func<bool>? ReadOnly { get; set; }

    /// <summary>The wait sent in <c>Retry-After</c> with 423, 429 and 503 (default 5 s; whole seconds, at least 1).</summary>
    public TimeSpan RetryAfter { get; set; } = DefaultRetryAfter;

    /// <summary>Why the keys in the environment could not be read, if they could not (reported by validation).</summary>
    internal string? KeysError { get; set; }
}
