using Microsoft.Extensions.Configuration;

namespace Courier.Server.Configuration;

/// <summary>A pool of HTTP runners in the configuration file (<c>runners.&lt;name&gt;</c>); docs/runners.md "Dispatcher side".</summary>
public sealed class RunnerPoolConfig
{
    /// <summary><c>urls</c>: base URLs of the runners (in <c>mode: mediawiki</c>, each RunSingleJob.php URL as it is).</summary>
    [ConfigurationKeyName("urls")]
    public ConfigList<Uri>? Urls { get; init; }

    /// <summary><c>mode</c>: <c>courier</c> (default) or <c>mediawiki</c>.</summary>
    [ConfigurationKeyName("mode")]
    public RunnerMode? Mode { get; init; }

    /// <summary><c>path</c>: appended to each URL (default <c>/rpc/RunSingleJob</c> in courier mode, nothing in mediawiki mode).</summary>
    [ConfigValue(AllowEmpty = true)]
    [ConfigurationKeyName("path")]
    public string? Path { get; init; }

    /// <summary><c>execution_limit</c>: the runners' own limit on one execution; rules using the pool need a longer timeout.</summary>
    [ConfigurationKeyName("execution_limit")]
    public Duration? ExecutionLimit { get; init; }

    /// <summary><c>max_connections</c>: most connections to each runner (default: the concurrency of the rules using the pool).</summary>
    [ConfigValue(Minimum = 1)]
    [ConfigurationKeyName("max_connections")]
    public int? MaxConnections { get; init; }

    /// <summary><c>signing_key</c>: <c>{id, secret}</c>, the secret as text, <c>base64:…</c> or <c>env:NAME</c>; default: <c>COURIER_RUNNER_KEYS</c>.</summary>
    [ConfigurationKeyName("signing_key")]
    public SigningKeyConfig? SigningKey { get; init; }

    /// <summary><c>retry_after_default</c>: backpressure wait when a 423, 429 or read-only answer has no Retry-After.</summary>
    [ConfigurationKeyName("retry_after_default")]
    public Duration? RetryAfterDefault { get; init; }

    /// <summary><c>connect_timeout</c>: limit on opening a connection to a runner before trying the next one.</summary>
    [ConfigurationKeyName("connect_timeout")]
    public Duration? ConnectTimeout { get; init; }

    /// <summary>
    /// <c>ca_file</c>: PEM file of the CA that https runners' certificates must chain to (the only root then trusted);
    /// default: the system's trusted roots.
    /// </summary>
    [ConfigurationKeyName("ca_file")]
    public string? CaFile { get; set; }

    /// <summary><c>release</c>: the release of the pool's runners when they do not announce one (MediaWiki runners).</summary>
    [ConfigurationKeyName("release")]
    public string? Release { get; init; }

    /// <summary><c>canary</c>: runners of a new release judged against these (docs/operations.md "Canary releases of runners").</summary>
    [ConfigurationKeyName("canary")]
    public CanaryConfig? Canary { get; init; }

    /// <summary>The pool's options: these values where set, the defaults of <see cref="RunnerPoolOptions"/> elsewhere.</summary>
    public RunnerPoolOptions ToOptions(string name)
    {
        var options = new RunnerPoolOptions { Name = name, Path = Path, SigningKey = SigningKey?.ToKey(), MaxConnections = MaxConnections, CaFile = CaFile,
            Release = Release, Canary = Canary?.ToOptions() };
        foreach (var url in Urls ?? [])
        {
            options.Urls.Add(url);
        }
        if (Mode is { } mode)
        {
            options.Mode = mode;
        }
        if (ExecutionLimit is { } limit)
        {
            options.ExecutionLimit = limit;
        }
        if (RetryAfterDefault is { } retryAfter)
        {
            options.RetryAfterDefault = retryAfter;
        }
        if (ConnectTimeout is { } connect)
        {
            options.ConnectTimeout = connect;
        }
        return options;
    }
}
