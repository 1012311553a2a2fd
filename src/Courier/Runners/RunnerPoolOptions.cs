using System.Security.Cryptography.X509Certificates;
using Courier.Configuration;
using Courier.Runners;

namespace Courier;

/// <summary>
/// A named pool of HTTP runners that rules send their jobs to (<see cref="JobRule.Runner"/>). Each job is POSTed
/// to one of <see cref="Urls"/>, chosen round-robin, over keep-alive connections (docs/runners.md "Dispatcher side").
/// </summary>
public sealed class RunnerPoolOptions
{
    /// <summary>Default of <see cref="ExecutionLimit"/>: the Courier runner's own default limit on one execution.</summary>
    public static readonly TimeSpan DefaultExecutionLimit = TimeSpan.FromSeconds(60);

    /// <summary>The pool's name: what rules name in <see cref="JobRule.Runner"/>, and the executor recorded in dead letters.</summary>
    public required string Name { get; set; }

    /// <summary>
    /// Base URLs of the runners: all http or all https (a pool is one trust setting, so a mix is refused). In <see cref="RunnerMode.MediaWiki"/> mode each is the
    /// endpoint as it is, e.g. <c>http://jobrunner.example/rpc/RunSingleJob.php</c>.
    /// </summary>
    public IList<Uri> Urls { get; init; } = [];

    /// <summary>
    /// Path appended to each base URL. Null: <see cref="RunnerProtocol.DefaultPath"/> in <see cref="RunnerMode.Courier"/>
    /// mode, nothing (the URL as given) in <see cref="RunnerMode.MediaWiki"/> mode.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// A PEM file of the CA (or CAs) that https runners' certificates must chain to; no other root is then trusted,
    /// the system's included. Null: the system's trusted roots. Read when the pool is validated, so a missing or
    /// unreadable file, or one without a certificate, is an error at start naming the file.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// The release the pool's runners run, for answers that name none (a MediaWiki runner sends no
    /// <see cref="RunnerProtocol.ReleaseHeader"/>). Null: such outcomes carry the dispatcher's own release.
    /// </summary>
    public string? Release { get; set; }

    /// <summary>
    /// An optional canary: a second set of runners that gets a growing slice of the pool's jobs while it is judged
    /// against the stable runners, and none once it fails (docs/operations.md "Canary releases of runners").
    /// </summary>
    public Canaries.CanaryOptions? Canary { get; set; }

    /// <summary>The protocol the runners speak.</summary>
    public RunnerMode Mode { get; set; } = RunnerMode.Courier;

    /// <summary>
    /// The runners' own limit on one execution. Every rule using the pool must have a longer timeout, so a job the
    /// runner gives up on comes back as an explained 5xx instead of a dispatcher timeout racing a job still running.
    /// </summary>
    public TimeSpan ExecutionLimit { get; set; } = DefaultExecutionLimit;

    /// <summary>
    /// The key requests are signed with. Null: in <see cref="RunnerMode.Courier"/> mode the first key of the
    /// <c>COURIER_RUNNER_KEYS</c> environment variable (<see cref="RunnerKey.EnvironmentVariable"/>), and an error at
    /// start when it is not set; in <see cref="RunnerMode.MediaWiki"/> mode requests are not signed.
    /// </summary>
    public RunnerKey? SigningKey { get; set; }

    /// <summary>
    /// Most connections to each runner. Null: the sum of the concurrency of the rules using the pool (the most requests
    /// they can have in flight), or no limit when a pattern rule or the default rule uses it (how many job types
    /// those cover is known only as topics appear). Connections are opened on demand and kept alive.
    /// </summary>
    public int? MaxConnections { get; set; }

    /// <summary>Backpressure wait when a 423, 429 or read-only answer carries no <c>Retry-After</c>.</summary>
    public TimeSpan RetryAfterDefault { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Limit on opening a connection; a runner that does not accept in time is skipped for the next URL.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a keep-alive connection is reused before it is replaced, so that runners added behind a load
    /// balancer or a DNS name get their share of connections.
    /// </summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The URLs requests go to: each base URL with <see cref="Path"/> appended, unless it already ends with it (so the
    /// endpoint URL a runner prints works as well as its base URL).
    /// </summary>
    public IReadOnlyList<Uri> Endpoints()
    {
        var path = (Path ?? (Mode == RunnerMode.Courier ? RunnerProtocol.DefaultPath : "")).Trim('/');
        return Urls.Select(url =>
        {
            var basePath = url.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return path.Length == 0 || basePath.EndsWith("/" + path, StringComparison.Ordinal)
                ? url
                : new Uri(basePath + "/" + path + url.Query);
        }).ToList();
    }

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the pool and the bad one.</summary>
    public void Validate() => OptionsProblems.ThrowFirst(Problems());

    /// <summary>What is wrong with the values, each naming the pool and the value; empty when they are valid.</summary>
    internal IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            yield return "a runner pool has no name";
        }
        if (Urls.Count == 0)
        {
            yield return $"runner pool '{Name}': no URLs (give at least one base URL, e.g. http://127.0.0.1:5080)";
        }
        foreach (var url in Urls)
        {
            if (url is null || !url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
            {
                // The checks of the URLs' schemes below need absolute URLs.
                yield return $"runner pool '{Name}': '{url}' is not an absolute http or https URL";
                yield break;
            }
            if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Fragment))
            {
                yield return $"runner pool '{Name}': '{url}' must not carry user info or a fragment";
            }
        }
        if (Urls.Distinct().Count() != Urls.Count)
        {
            yield return $"runner pool '{Name}': a URL appears twice";
        }
        if (TlsProblem() is { } tls)
        {
            yield return tls;
        }
        if (!Enum.IsDefined(Mode))
        {
            yield return $"runner pool '{Name}': unknown mode {Mode}";
        }
        if (Path is { } path && (path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal) || path.Any(char.IsWhiteSpace)))
        {
            yield return $"runner pool '{Name}': path '{path}' must be a plain URL path";
        }
        if (ExecutionLimit <= TimeSpan.Zero)
        {
            yield return $"runner pool '{Name}': execution limit must be positive, got {ExecutionLimit}";
        }
        if (MaxConnections is < 1)
        {
            yield return $"runner pool '{Name}': max connections must be at least 1, got {MaxConnections}";
        }
        if (RetryAfterDefault <= TimeSpan.Zero)
        {
            yield return $"runner pool '{Name}': default Retry-After must be positive, got {RetryAfterDefault}";
        }
        if (ConnectTimeout <= TimeSpan.Zero)
        {
            yield return $"runner pool '{Name}': connect timeout must be positive, got {ConnectTimeout}";
        }
        if (PooledConnectionLifetime <= TimeSpan.Zero)
        {
            yield return $"runner pool '{Name}': pooled connection lifetime must be positive, got {PooledConnectionLifetime}";
        }
        if (Canary is { } canary)
        {
            foreach (var problem in canary.Problems(Name).Concat(CanarySide().Problems().Select(p => p.Replace($"runner pool '{Name}'", $"runner pool '{Name}': canary", StringComparison.Ordinal))))
            {
                yield return problem;
            }
        }
    }

    /// <summary>The pool of the canary runners: these settings with the canary's URLs and release, and no canary.</summary>
    internal RunnerPoolOptions CanarySide() => new()
    {
        Name = Name,
        Urls = Canary?.Urls ?? [],
        Path = Path,
        CaFile = CaFile,
        Mode = Mode,
        ExecutionLimit = ExecutionLimit,
        SigningKey = SigningKey,
        MaxConnections = MaxConnections,
        RetryAfterDefault = RetryAfterDefault,
        ConnectTimeout = ConnectTimeout,
        PooledConnectionLifetime = PooledConnectionLifetime,
        Release = Canary?.Release,
    };

    /// <summary>
    /// All URLs http or all https: a pool is one trust setting, and a mix would send some of its jobs in the clear.
    /// A <see cref="CaFile"/> needs https URLs and a file that loads.
    /// </summary>
    private string? TlsProblem()
    {
        var https = Urls.Count(url => url.Scheme == Uri.UriSchemeHttps);
        if (https > 0 && https < Urls.Count)
        {
            return $"runner pool '{Name}': mixes http and https URLs; use https for every runner of the pool, or make two pools";
        }
        if (CaFile is null)
        {
            return null;
        }
        if (https == 0)
        {
            return $"runner pool '{Name}': a CA file is set but the URLs are http; the CA applies to https runners only";
        }
        try
        {
            foreach (var certificate in LoadCa())
            {
                certificate.Dispose();
            }
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>The certificates of <see cref="CaFile"/>; an <see cref="ArgumentException"/> naming the pool and the file.</summary>
    internal X509Certificate2Collection LoadCa()
    {
        try
        {
            return PinnedCa.Load(CaFile ?? throw new InvalidOperationException("no CA file"));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"runner pool '{Name}': {e.Message}", e);
        }
    }

    /// <summary>
    /// The key requests are signed with: <see cref="SigningKey"/>, else (Courier mode) the first key of
    /// <c>COURIER_RUNNER_KEYS</c> as <paramref name="environment"/> reads it. Throws <see cref="InvalidOperationException"/>
    /// saying how to provide one when a Courier-mode pool has none.
    /// </summary>
    internal RunnerKey? ResolveSigningKey(Func<string, string?> environment)
    {
        if (SigningKey is not null || Mode == RunnerMode.MediaWiki)
        {
            return SigningKey;
        }
        RunnerKeySet? keys;
        try
        {
            keys = RunnerKeySource.FromEnvironment(environment);
        }
        catch (RunnerKeyException e)
        {
            throw new InvalidOperationException($"runner pool '{Name}': {e.Message}", e);
        }
        return keys?.SigningKey ?? throw new InvalidOperationException(
            $"runner pool '{Name}' has no signing key: configure one (runners.{Name}.signing_key in the configuration file) "
            + $"or set {RunnerKey.EnvironmentVariable}={RunnerKeySource.Form} to the keys the runners accept; "
            + "runners refuse unsigned requests with 403");
    }
}
