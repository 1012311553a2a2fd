namespace Courier.Chaos;

/// <summary>
/// The soak's dispatcher rules, short enough that every job ends within seconds: a retry limit of 2 (1 s, then 3 s),
/// timeouts of 2 s in process and 3 s on the runner pool (whose runners give up after 1 s), a quick breaker.
/// </summary>
internal static class ChaosRules
{
    /// <summary>The runner pool's name in the configuration.</summary>
    public const string Pool = "chaos";

    /// <summary>The signing key's id.</summary>
    public const string KeyId = "chaos";

    /// <summary>The runners' execution limit (<c>courier runner --execution-limit</c>), in seconds.</summary>
    public const int RunnerExecutionLimitSeconds = 1;

    /// <summary>The in-process types' timeout.</summary>
    public static readonly TimeSpan InProcessTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The runner pool type's timeout (longer than the runners' execution limit, as the dispatcher requires).</summary>
    public static readonly TimeSpan RunnerTimeout = TimeSpan.FromSeconds(3);

    /// <summary>How long a slow runner proxy holds a request: past <see cref="RunnerTimeout"/>.</summary>
    public static readonly TimeSpan SlowHold = RunnerTimeout * 2;

    /// <summary>Work of a job that times out: past every timeout above.</summary>
    public const int TimeOutWorkMilliseconds = 4_000;

    /// <summary>The retry tiers (<c>dispatcher.retry_tiers</c>): the rules' 1 s and 3 s, and 10 s for backpressure.</summary>
    public static readonly IReadOnlyList<TimeSpan> RetryTiers = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10)];

    /// <summary>Jobs of one type running at once in one dispatcher.</summary>
    public const int Concurrency = 32;

    /// <summary>
    /// Attempts a dispatcher's breaker needs in its window before it may open. High on purpose: only a type-wide
    /// outage should open it. Once the workload is over, the only jobs left in retry are those made to fail on every
    /// attempt; a breaker with the default 20 samples rightly takes them for an outage and holds their failures
    /// without spending attempts until an operator resumes the type (docs/operations.md, "Breakers and pausing a job
    /// type"), which a soak with no operator would wait for forever. At the soak's rates a minute holds thousands of
    /// attempts per type and dispatcher, and the always-failing tail at most a few hundred.
    /// </summary>
    public const int BreakerMinSamples = 1_000;
}
