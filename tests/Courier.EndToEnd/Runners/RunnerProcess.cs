using Courier.Telemetry;
using System.Globalization;
using Courier.TestRunner;
using Courier.Testing;
using Xunit;

namespace Courier.EndToEnd.Runners;

/// <summary>
/// One runner process (<c>dotnet Courier.TestRunner.dll …</c>): a Courier runner with the scripted handler on a loopback
/// port. Its output is captured for failure messages; its ledger (what it executed) and its metrics are read from
/// outside. Disposing kills it if it is still running.
/// </summary>
internal sealed class RunnerProcess : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChildProcess _process = null!;

    private RunnerProcess(string name, string ledgerPath)
    {
        Name = name;
        LedgerPath = ledgerPath;
    }

    public string Name { get; }

    public string LedgerPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The base URL it listens on, once ready.</summary>
    public Uri? BaseUrl => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;

    public string Output => string.Join('\n', _process.Lines);

    /// <summary>The release every test runner announces (its <c>COURIER_RELEASE</c>), which its failure log lines name.</summary>
    public const string Release = "e2e-runner-1";

    /// <summary>
    /// Starts a runner; <paramref name="keys"/> becomes its <c>COURIER_RUNNER_KEYS</c> and <paramref name="release"/>
    /// its <c>COURIER_RELEASE</c> (<see cref="Release"/> by default).
    /// </summary>
    public static RunnerProcess Start(string name, string ledgerPath, string keys, IEnumerable<string> arguments, string release = Release)
    {
        var runner = new RunnerProcess(name, ledgerPath);
        // Its stdin stays open: closing it would stop the runner gracefully.
        runner._process = ChildProcess.Start(
            "Courier.TestRunner.dll",
            ["--name", name, "--ledger", ledgerPath, .. arguments],
            new Dictionary<string, string?> { [RunnerKey.EnvironmentVariable] = keys, [ReleaseName.EnvironmentVariable] = release },
            onLine: (error, line) => runner.OnLine(error, line),
            onExit: () => runner._ready.TrySetException(new InvalidOperationException($"runner {name} exited before it was ready")),
            keepStdinOpen: true);
        return runner;
    }

    /// <summary>Waits until the runner listens and returns its base URL (<c>http://127.0.0.1:PORT</c>).</summary>
    public async Task<Uri> WaitReadyAsync(TimeSpan deadline)
    {
        try
        {
            return await _ready.Task.WaitAsync(deadline, TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"runner {Name} not ready: {e.Message}. Output:\n{Tail()}");
            throw;
        }
    }

    /// <summary>SIGKILL: no drain, no answer to requests in flight; their connections are reset.</summary>
    public void KillHard() => _process.KillHard();

    public Task<int> WaitForExitAsync(TimeSpan deadline) => _process.WaitForExitAsync(deadline);

    /// <summary>What this runner executed, as its ledger says (durable across a kill).</summary>
    public Task<IReadOnlyList<LedgerEntry>> LedgerAsync() => RunnerLedger.ReadAllAsync(LedgerPath, TestContext.Current.CancellationToken);

    /// <summary>The runner's own metrics (<c>/test/metrics</c>): series name with tags → value.</summary>
    public async Task<IReadOnlyDictionary<string, double>> MetricsAsync()
    {
        var baseUrl = BaseUrl ?? throw new InvalidOperationException($"runner {Name} is not ready");
        var text = await Http.GetStringAsync(new Uri(baseUrl, "/test/metrics"), TestContext.Current.CancellationToken);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var space = line.LastIndexOf(' ');
            metrics[line[..space]] = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
        }
        return metrics;
    }

    /// <summary>
    /// The sum of a counter's series whose tags include every one of <paramref name="tags"/> (<c>key=value</c>), e.g.
    /// <c>Count(m, "courier.runner.requests", "http.response.status_code=403")</c>.
    /// </summary>
    public static double Count(IReadOnlyDictionary<string, double> metrics, string name, params string[] tags) =>
        metrics.Where(kv => kv.Key == name || kv.Key.StartsWith(name + "{", StringComparison.Ordinal))
            .Where(kv => tags.All(t => TagsOf(kv.Key).Contains(t)))
            .Sum(kv => kv.Value);

    /// <summary>The last lines of output, for failure messages.</summary>
    public string Tail(int lines = 30) => _process.Tail(lines, Name);

    public void Dispose() => _process.Dispose();

    private static string[] TagsOf(string series)
    {
        var open = series.IndexOf('{', StringComparison.Ordinal);
        return open < 0 ? [] : series[(open + 1)..^1].Split(',');
    }

    private void OnLine(bool error, string line)
    {
        if (!error && line.StartsWith("ready ", StringComparison.Ordinal))
        {
            var url = line.Split(' ')[1];
            _ready.TrySetResult(new Uri(url));
        }
    }
}
