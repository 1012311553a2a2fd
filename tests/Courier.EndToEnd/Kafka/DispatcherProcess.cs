using Courier.Telemetry;
using System.Globalization;
using System.Text.RegularExpressions;
using Courier.Testing;
using Xunit;

namespace Courier.EndToEnd.Kafka;

/// <summary>
/// One dispatcher process (<c>dotnet Courier.TestDispatcher.dll …</c>) on the Kafka job log. Its stderr (logs) and stdout
/// (<c>ready</c>, <c>metric …</c>) are captured line by line; the partitions it owns are followed from its
/// "Partitions assigned/revoked" log lines. Disposing kills it if it is still running.
/// </summary>
internal sealed partial class DispatcherProcess : IDisposable
{
    private readonly HashSet<TopicPartition> _owned = [];
    private readonly Dictionary<string, double> _metrics = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChildProcess _process = null!;

    private DispatcherProcess(string member, string inboxPath)
    {
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

    /// <summary>
    /// The sum of the last printed values of <paramref name="name"/>'s series that carry every tag of
    /// <paramref name="tags"/> (each <c>key=value</c>); 0 when none was printed.
    /// </summary>
    public double MetricTotal(string name, params string[] tags) =>
        Metrics.Where(kv => kv.Key.StartsWith(name + "{", StringComparison.Ordinal)
                && tags.All(tag => kv.Key[(name.Length + 1)..^1].Split(',').Contains(tag, StringComparer.Ordinal)))
            .Sum(kv => kv.Value);

    /// <summary>Every line so far, prefixed <c>out|</c> or <c>err|</c>.</summary>
    public IReadOnlyList<string> Lines => _process.Lines;

    /// <summary>The release every test dispatcher runs (its <c>COURIER_RELEASE</c>), the <c>release</c> tag of its outcomes.</summary>
    public const string Release = "e2e-dispatcher-1";

    public static DispatcherProcess Start(string bootstrapServers, string member, string inboxPath, params string[] extraArguments)
    {
        var dispatcher = new DispatcherProcess(member, inboxPath);
        // Its stdin stays open: closing it is the host's stop signal (StopAsync).
        dispatcher._process = ChildProcess.Start(
            "Courier.TestDispatcher.dll",
            ["--bootstrap", bootstrapServers, "--member", member, "--inbox", inboxPath, .. extraArguments],
            new Dictionary<string, string?> { [ReleaseName.EnvironmentVariable] = Release },
            onLine: (error, line) =>
            {
                if (error)
                {
                    dispatcher.OnError(line);
                }
                else
                {
                    dispatcher.OnOutput(line);
                }
            },
            onExit: () => dispatcher._ready.TrySetException(new InvalidOperationException($"{member} exited before it was ready")),
            keepStdinOpen: true);
        return dispatcher;
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
    public void KillHard() => _process.KillHard();

    /// <summary>Closes stdin (the host's stop signal: drain, commit, leave the group) and waits for exit code 0.</summary>
    public async Task StopAsync(TimeSpan deadline)
    {
        _process.CloseStdin();
        var exitCode = await _process.WaitForExitAsync(deadline);
        Assert.True(exitCode == 0, $"{Member} exited with {exitCode}. Output:\n{Tail()}");
    }

    public Task<int> WaitForExitAsync(TimeSpan deadline) => _process.WaitForExitAsync(deadline);

    /// <summary>Lines whose text matches <paramref name="pattern"/>.</summary>
    public IReadOnlyList<string> LinesMatching(Regex pattern) => Lines.Where(l => pattern.IsMatch(l)).ToList();

    /// <summary>The last lines, for failure messages.</summary>
    public string Tail(int lines = 40) =>
        _process.Tail(lines, Member, l => !l.StartsWith("out| metric ", StringComparison.Ordinal));

    public void Dispose() => _process.Dispose();

    private void OnOutput(string line)
    {
        lock (_lock)
        {
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

    private void OnError(string line)
    {
        lock (_lock)
        {
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

    // The dispatcher's own log lines (DispatcherLog events 10 and 11); see Courier.Dispatching.Monitoring.DispatcherLog.
    [GeneratedRegex(@"Partitions assigned: (.*)$")]
    private static partial Regex AssignedLine();

    [GeneratedRegex(@"Partitions revoked: (.*); drained")]
    private static partial Regex RevokedLine();

    [GeneratedRegex(@"([A-Za-z0-9._-]+)\[(\d+)\]")]
    private static partial Regex PartitionItem();

    [GeneratedRegex(@"^metric (\S+) (\S+)$")]
    private static partial Regex MetricLine();
}
