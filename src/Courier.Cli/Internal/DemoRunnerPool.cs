using Courier.Server;

namespace Courier.Cli.Internal;

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
    /// The key requests are signed with: the first of <c>COURIER_RUNNER_KEYS</c>, which `courier runner` accepts too.
    /// </summary>
    public static RunnerKey SigningKey(CourierDataDirectory data, Func<string, string?> environment)
    {
        var text = environment(RunnerKey.EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(text))
        {
            try
            {
                return RunnerKey.ParseList(text)[0];
            }
            catch (Exception e) when (e is FormatException or ArgumentException)
            {
                throw new UsageException($"{RunnerKey.EnvironmentVariable} cannot be read: {e.Message}", e);
            }
        }
        // INTEGRATION POINT (issue 4): when COURIER_RUNNER_KEYS is not set, read the development key file that
        // `courier runner` writes into the data directory (RunnerKeyFile in src/Courier.Server, being written in
        // parallel) and sign with its first key, so that `courier runner` and `courier up --runners` on one machine
        // need no setup. Until then the environment variable is the only source.
        _ = data;
        throw new UsageException($"--runners: no signing key. Set {RunnerKey.EnvironmentVariable}=id=secret (at least 16 bytes) "
            + "for both this command and the runners, e.g. export COURIER_RUNNER_KEYS=dev=$(openssl rand -hex 16); "
            + "runners refuse unsigned requests with 403");
    }

    /// <summary>
    /// Adds the pool (replacing one of the same name from the configuration) and sends every demo type to it. A demo
    /// rule's timeout is raised above the pool's execution limit where needed: the dispatcher must outwait the runner.
    /// </summary>
    public static void Apply(DispatcherOptions options, IReadOnlyList<Uri> urls, RunnerKey key)
    {
        var pool = new RunnerPoolOptions { Name = Name, SigningKey = key };
        foreach (var url in urls)
        {
            pool.Urls.Add(url);
        }
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
                rule.Timeout = pool.ExecutionLimit + TimeSpan.FromSeconds(30);
            }
        }
    }
}
