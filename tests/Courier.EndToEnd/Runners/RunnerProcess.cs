using System.Diagnostics;
using System.Globalization;
using System.Text;
using Courier.TestRunner;
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

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunnerProcess(Process process, string name, string ledgerPath)
    {
        _process = process;
        Name = name;
        LedgerPath = ledgerPath;
    }

    public string Name { get; }

    public string LedgerPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The base URL it listens on, once ready.</summary>
    public Uri? BaseUrl => _ready.Task.IsCompletedSuccessfully ? _ready.Task.Result : null;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Starts a runner; <paramref name="keys"/> becomes its <c>COURIER_RUNNER_KEYS</c>.</summary>
    public static RunnerProcess Start(string name, string ledgerPath, string keys, IEnumerable<string> arguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Courier.TestRunner.dll");
        Assert.True(File.Exists(path), $"Courier.TestRunner.dll is not next to the tests in {AppContext.BaseDirectory}");
        var startInfo = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet",
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(path);
        foreach (var argument in (string[])["--name", name, "--ledger", ledgerPath, .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment[RunnerKey.EnvironmentVariable] = keys;
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new RunnerProcess(process, name, ledgerPath);
        process.OutputDataReceived += (_, e) => child.OnLine("out", e.Data);
        process.ErrorDataReceived += (_, e) => child.OnLine("err", e.Data);
        process.Exited += (_, _) => child._ready.TrySetException(new InvalidOperationException($"runner {name} exited before it was ready"));
        Assert.True(process.Start(), "could not start " + startInfo.FileName);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
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
    public void KillHard() => _process.Kill(entireProcessTree: true);

    public async Task WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(deadline);
        await _process.WaitForExitAsync(timeout.Token);
    }

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
    public string Tail(int lines = 30)
    {
        lock (_lock)
        {
            var text = new StringBuilder();
            foreach (var line in _lines.Skip(Math.Max(0, _lines.Count - lines)))
            {
                text.Append(Name).Append(' ').AppendLine(line);
            }
            return text.ToString();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        _process.Dispose();
    }

    private static string[] TagsOf(string series)
    {
        var open = series.IndexOf('{', StringComparison.Ordinal);
        return open < 0 ? [] : series[(open + 1)..^1].Split(',');
    }

    private void OnLine(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            _lines.Add(stream + "| " + line);
        }
        if (stream == "out" && line.StartsWith("ready ", StringComparison.Ordinal))
        {
            var url = line.Split(' ')[1];
            _ready.TrySetResult(new Uri(url));
        }
    }
}
