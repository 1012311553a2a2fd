using Courier.Server.Data;
using Courier.Server.Demo;
using Courier.Server.Hosting;

namespace Courier.Cli.Serving;

/// <summary>
/// <c>courier up --runners URL[,URL…]</c>: a runner pool named <see cref="Name"/> that every demo rule sends its jobs
/// to, signed with the key the runners accept.
/// </summary>
internal static class DemoRunnerPool
{
    /// <summary>The pool's name: what dead letters and the progress view name as the demo types' executor.</summary>
    public const string Name = "runners";

    /// <summary>Comma-separated absolute http(s) base URLs; a usage error saying what is expected otherwise.</summary>
    public static IReadOnlyList<Uri> ParseUrls(string value)
    {
        var urls = new List<Uri>();
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || url.UserInfo.Length > 0 || url.Fragment.Length > 0)
            {
                throw new UsageException($"--runners: '{part}' is not a runner base URL; expected http://HOST:PORT[,http://HOST:PORT…] "
                    + "(e.g. http://127.0.0.1:5080 for `courier runner --port 5080`)");
            }
            if (!urls.Contains(url))
            {
                urls.Add(url);
            }
        }
        return urls;
    }

    /// <summary>
    /// The keys requests are signed with (the first), and where they came from: those of <c>COURIER_RUNNER_KEYS</c>, else of
    /// the development key file <c>&lt;data&gt;/runner-keys</c> that <c>courier runner</c> creates, so that a runner and
    /// <c>courier up --runners</c> on one machine with the same <c>--data</c> need no setup.
    /// </summary>
    public static RunnerKeySet Keys(CourierDataDirectory data, Func<string, string?> environment)
    {
        if (RunnerKeySource.FromEnvironment(environment) is { } keys)
        {
            return keys;
        }
        var file = RunnerKeyFile.DefaultPath(data);
        if (File.Exists(file))
        {
            return RunnerKeySource.FromFile(file);
        }
        // Not created here: a key nobody's runner accepts would only turn every job into a 403.
        throw new UsageException($"--runners: no signing key. Start the runner first with the same data directory "
            + $"(`courier runner --data {data.Root}` creates {file}), or set {RunnerKey.EnvironmentVariable}={RunnerKeySource.Form} "
            + "for both this command and the runners; runners refuse unsigned requests with 403");
    }

    /// <summary>
    /// The pool, checked now (a usage error otherwise: http mixed with https, a CA file that cannot be read). Its
    /// execution limit is <c>courier runner</c>'s default (20 s, under the demo rules' 30 s timeout); https runners'
    /// certificates must chain to <paramref name="caFile"/> when it is given (<c>--runners-ca</c>).
    /// </summary>
    public static RunnerPoolOptions Create(IReadOnlyList<Uri> urls, RunnerKey key, string? caFile)
    {
        var pool = new RunnerPoolOptions { Name = Name, SigningKey = key, ExecutionLimit = CourierRunnerHostOptions.DefaultExecutionLimit, CaFile = caFile };
        foreach (var url in urls)
        {
            pool.Urls.Add(url);
        }
        try
        {
            pool.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{(caFile is null ? "--runners" : "--runners-ca")}: {e.Message}", e);
        }
        return pool;
    }

    /// <summary>
    /// Adds the pool (replacing one of the same name from the configuration) and sends every demo type to it; a
    /// configured demo rule with a timeout not above the pool's execution limit is given one that is, since the
    /// dispatcher must outwait the runner.
    /// </summary>
    public static void Apply(DispatcherOptions options, RunnerPoolOptions pool)
    {
        for (var i = options.RunnerPools.Count - 1; i >= 0; i--)
        {
            if (string.Equals(options.RunnerPools[i].Name, Name, StringComparison.Ordinal))
            {
                options.RunnerPools.RemoveAt(i);
            }
        }
        options.RunnerPools.Add(pool);
        foreach (var rule in options.Rules.Where(r => DemoJobTypes.All.Contains(r.Type, StringComparer.Ordinal)))
        {
            rule.Runner = Name;
            if (rule.Timeout <= pool.ExecutionLimit)
            {
                rule.Timeout = pool.ExecutionLimit + TimeSpan.FromSeconds(10);
            }
        }
    }
}
