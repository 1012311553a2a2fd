using Courier.TestPrograms;

namespace Courier.TestDispatcher;

/// <summary>The command line of the test dispatcher host.</summary>
internal sealed record HostArguments
{
    public const string Usage = """
        usage: Courier.TestDispatcher --bootstrap HOST:PORT[,…] --inbox FILE --member NAME
                                      [--group ID] [--type NAME] [--concurrency N] [--commit-ms MS]
                                      [--session-timeout-ms MS] [--heartbeat-ms MS] [--metrics-ms MS]
                                      [--redis CONFIG [--redis-prefix PREFIX]]
        Runs a dispatcher for job type NAME (default e2e) on the Kafka job log until stdin closes, then drains,
        commits and exits 0. With --redis (a StackExchange.Redis configuration such as 127.0.0.1:6379) it keeps its
        scheduling state in Redis under PREFIX (default courier:), so the rule's default deduplication is on.
        Logs go to stderr; `ready` and `metric …` lines to stdout.
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

    /// <summary>The Redis state store's configuration string; null runs without a state store (no deduplication).</summary>
    public string? RedisConfiguration { get; init; }

    /// <summary>The Redis key prefix; members sharing one prefix share their deduplication state.</summary>
    public string? RedisPrefix { get; init; }

    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        var flags = new FlagArguments(args, Usage);
        var parsed = new HostArguments
        {
            BootstrapServers = flags.Required("bootstrap"),
            InboxPath = flags.Required("inbox"),
            Member = flags.Required("member"),
            GroupId = flags.Text("group") ?? "courier-e2e",
            JobType = flags.Text("type") ?? "e2e",
            Concurrency = flags.Number("concurrency", 16),
            CommitMilliseconds = flags.Number("commit-ms", 200),
            SessionTimeoutMilliseconds = flags.Number("session-timeout-ms", DefaultSessionTimeoutMilliseconds),
            HeartbeatMilliseconds = flags.Number("heartbeat-ms", DefaultHeartbeatMilliseconds),
            MetricsMilliseconds = flags.Number("metrics-ms", 1000),
            RedisConfiguration = flags.Text("redis"),
            RedisPrefix = flags.Text("redis-prefix"),
        };
        flags.EnsureAllUsed();
        return parsed;
    }
}
