using System.Globalization;

namespace Courier.TestDispatcher;

/// <summary>The command line of the test dispatcher host.</summary>
internal sealed record HostArguments
{
    public const string Usage = """
        usage: Courier.TestDispatcher --bootstrap HOST:PORT[,…] --inbox FILE --member NAME
                                      [--group ID] [--type NAME] [--concurrency N] [--commit-ms MS]
                                      [--session-timeout-ms MS] [--heartbeat-ms MS] [--metrics-ms MS]
        Runs a dispatcher for job type NAME (default e2e) on the Kafka job log until stdin closes, then drains,
        commits and exits 0. Logs go to stderr; `ready` and `metric …` lines to stdout.
        """;

    public required string BootstrapServers { get; init; }

    public required string InboxPath { get; init; }

    public required string Member { get; init; }

    public string GroupId { get; init; } = "courier-e2e";

    public string JobType { get; init; } = "e2e";

    public int Concurrency { get; init; } = 16;

    public int CommitMilliseconds { get; init; } = 200;

    /// <summary>
    /// Long enough that a member on a loaded machine (the tests share two cores with other work) is not expelled, which
    /// would move partitions the test did not move; shorter than librdkafka's 45 s, because a killed member's partitions
    /// move only after it, and the mock cluster holds every classic rebalance for the session timeout minus one second.
    /// </summary>
    public const int DefaultSessionTimeoutMilliseconds = 10_000;

    /// <summary>A third of the session timeout, as Kafka advises: two heartbeats may be lost without losing the membership.</summary>
    public const int DefaultHeartbeatMilliseconds = DefaultSessionTimeoutMilliseconds / 3;

    public int SessionTimeoutMilliseconds { get; init; } = DefaultSessionTimeoutMilliseconds;

    public int HeartbeatMilliseconds { get; init; } = DefaultHeartbeatMilliseconds;

    public int MetricsMilliseconds { get; init; } = 1000;

    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"expected --flag value, got '{args[i]}'\n{Usage}");
            }
            values[args[i][2..]] = args[++i];
        }
        string Required(string name) => values.Remove(name, out var value) ? value : throw new ArgumentException($"--{name} is required\n{Usage}");
        string Text(string name, string fallback) => values.Remove(name, out var value) ? value : fallback;
        int Number(string name, int fallback) => values.Remove(name, out var value)
            ? int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture)
            : fallback;
        var parsed = new HostArguments
        {
            BootstrapServers = Required("bootstrap"),
            InboxPath = Required("inbox"),
            Member = Required("member"),
            GroupId = Text("group", "courier-e2e"),
            JobType = Text("type", "e2e"),
            Concurrency = Number("concurrency", 16),
            CommitMilliseconds = Number("commit-ms", 200),
            SessionTimeoutMilliseconds = Number("session-timeout-ms", DefaultSessionTimeoutMilliseconds),
            HeartbeatMilliseconds = Number("heartbeat-ms", DefaultHeartbeatMilliseconds),
            MetricsMilliseconds = Number("metrics-ms", 1000),
        };
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown flag --{values.Keys.First()}\n{Usage}");
        }
        return parsed;
    }
}
