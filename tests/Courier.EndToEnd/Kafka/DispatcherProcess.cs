using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace Courier.EndToEnd.Kafka;

/// <summary>
/// One dispatcher process (<c>dotnet Courier.TestDispatcher.dll …</c>) on the Kafka job log. Its stderr (logs) and stdout
/// (<c>ready</c>, <c>metric …</c>) are captured line by line; the partitions it owns are followed from its
/// "Partitions assigned/revoked" log lines. Disposing kills it if it is still running.
/// </summary>
internal sealed partial class DispatcherProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly HashSet<TopicPartition> _owned = [];
    private readonly Dictionary<string, double> _metrics = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DispatcherProcess(Process process, string member, string inboxPath)
    {
        _process = process;
        Member = member;
        InboxPath = inboxPath;
    }

    public string Member { get; }

    public string InboxPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Partitions this member owns now, per its own log.</summary>
    public IReadOnlySet<TopicPartition> Owned
    {
        get
        {
            lock (_lock)
            {
                return _owned.ToHashSet();
            }
        }
    }

    /// <summary>The last value printed for each metric series (<c>name{tag=value,…}</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, double>(_metrics, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Every line so far, prefixed <c>out|</c> or <c>err|</c>.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public static DispatcherProcess Start(string bootstrapServers, string member, string inboxPath, params string[] extraArguments)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Courier.TestDispatcher.dll");
        Assert.True(File.Exists(path), $"Courier.TestDispatcher.dll is not next to the tests in {AppContext.BaseDirectory}");
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
        foreach (var argument in (string[])["--bootstrap", bootstrapServers, "--member", member, "--inbox", inboxPath, .. extraArguments])
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new DispatcherProcess(process, member, inboxPath);
        process.OutputDataReceived += (_, e) => child.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => child.OnError(e.Data);
        process.Exited += (_, _) => child._ready.TrySetException(new InvalidOperationException($"{member} exited before it was ready"));
        Assert.True(process.Start(), "could not start " + startInfo.FileName);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the dispatcher has started (subscribed; not yet necessarily assigned).</summary>
    public async Task WaitReadyAsync(TimeSpan deadline)
    {
        try
        {
            await _ready.Task.WaitAsync(deadline, TestContext.Current.CancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"{Member} not ready: {e.Message}. Output:\n{Tail()}");
        }
    }

    /// <summary>SIGKILL: no drain, no commit, no leaving the group; the group notices after the session timeout.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <summary>Closes stdin (the host's stop signal: drain, commit, leave the group) and waits for exit code 0.</summary>
    public async Task StopAsync(TimeSpan deadline)
    {
        _process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            Assert.Fail($"{Member} (pid {_process.Id}) did not stop within {deadline.TotalSeconds:0} s. Output:\n{Tail()}");
        }
        Assert.True(_process.ExitCode == 0, $"{Member} exited with {_process.ExitCode}. Output:\n{Tail()}");
    }

    public async Task WaitForExitAsync(TimeSpan deadline)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(deadline);
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>Lines whose text matches <paramref name="pattern"/>.</summary>
    public IReadOnlyList<string> LinesMatching(Regex pattern) => Lines.Where(l => pattern.IsMatch(l)).ToList();

    /// <summary>The last lines, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        var all = Lines.Where(l => !l.StartsWith("out| metric ", StringComparison.Ordinal)).ToList();
        var text = new StringBuilder();
        foreach (var line in all.Skip(Math.Max(0, all.Count - lines)))
        {
            text.Append(Member).Append(' ').AppendLine(line);
        }
        return text.ToString();
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

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            _lines.Add("out| " + line);
            if (MetricLine().Match(line) is { Success: true } metric)
            {
                _metrics[metric.Groups[1].Value] = double.Parse(metric.Groups[2].Value, CultureInfo.InvariantCulture);
            }
        }
        if (line.StartsWith("ready ", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    private void OnError(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            _lines.Add("err| " + line);
            if (AssignedLine().Match(line) is { Success: true } assigned)
            {
                _owned.UnionWith(ParsePartitions(assigned.Groups[1].Value));
            }
            else if (RevokedLine().Match(line) is { Success: true } revoked)
            {
                _owned.ExceptWith(ParsePartitions(revoked.Groups[1].Value));
            }
        }
    }

    private static IEnumerable<TopicPartition> ParsePartitions(string list) =>
        PartitionItem().Matches(list).Select(m => new TopicPartition(m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));

    // The dispatcher's own log lines (DispatcherLog events 10 and 11); see Courier.Internal.DispatcherLog.
    [GeneratedRegex(@"Partitions assigned: (.*)$")]
    private static partial Regex AssignedLine();

    [GeneratedRegex(@"Partitions revoked: (.*); drained")]
    private static partial Regex RevokedLine();

    [GeneratedRegex(@"([A-Za-z0-9._-]+)\[(\d+)\]")]
    private static partial Regex PartitionItem();

    [GeneratedRegex(@"^metric (\S+) (\S+)$")]
    private static partial Regex MetricLine();
}
