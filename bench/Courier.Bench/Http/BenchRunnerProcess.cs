using System.Diagnostics;
using System.Net.Http.Json;

namespace Courier.Bench;

/// <summary>The runner as a child process (<c>Courier.Bench --child runner</c>), with its probe reached over loopback.</summary>
internal sealed class BenchRunnerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(5) };

    private BenchRunnerProcess(Process process, Uri url, Uri? h2cUrl)
    {
        _process = process;
        Url = url;
        H2cUrl = h2cUrl;
    }

    /// <summary>The runner's base URL.</summary>
    public Uri Url { get; }

    /// <summary>The runner process's HTTP/2-only (h2c) listener, for the bare loop.</summary>
    public Uri? H2cUrl { get; }

    /// <summary>CPU time the runner process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the runner (it inherits this process's environment, so its keys) and waits for its address.</summary>
    public static async Task<BenchRunnerProcess> StartAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        var start = ParentRun.ChildStartInfo(["--child", "runner", "--runner-concurrency", options.RunnerConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        start.RedirectStandardInput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the runner process");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            Uri? h2cUrl = null;
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("h2c ", StringComparison.Ordinal))
                {
                    h2cUrl = new Uri(line["h2c ".Length..]);
                }
                if (line.StartsWith("ready ", StringComparison.Ordinal))
                {
                    return new BenchRunnerProcess(process, new Uri(line["ready ".Length..]), h2cUrl);
                }
            }
            throw new InvalidOperationException($"the runner process exited before it was ready (exit code {(process.HasExited ? process.ExitCode : -1)})");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Replaces the runner's probe; <paramref name="latencyCapacity"/> latency jobs get their start delays recorded.</summary>
    public async Task ResetProbeAsync(int latencyCapacity, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(new Uri(Url, $"/bench/probe?capacity={latencyCapacity}"), null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Waits (on the runner) until <paramref name="count"/> jobs have started there, or <paramref name="limit"/> passes.</summary>
    public async Task<RunnerProbeSnapshot> WaitAsync(long count, TimeSpan limit, CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<RunnerProbeSnapshot>(
            new Uri(Url, $"/bench/wait?count={count}&timeoutMs={(long)limit.TotalMilliseconds}"), cancellationToken)
        ?? throw new InvalidOperationException("the runner sent no probe snapshot");

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
