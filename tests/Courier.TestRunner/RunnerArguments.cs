using Courier.TestPrograms;

namespace Courier.TestRunner;

/// <summary>The command line of the test runner host.</summary>
internal sealed record RunnerArguments
{
    public const string Usage = """
        usage: Courier.TestRunner --ledger FILE [--name NAME] [--port P] [--types T1,T2]
                                  [--execution-limit-ms MS] [--max-concurrency N] [--max-body-bytes N]
                                  [--retry-after-s S] [--read-only-file FILE] [--fail-first N] [--stall true]
                                  [--broken-type T --broken-message M]
        Hosts a Courier runner on 127.0.0.1:P (0: a free port) with the scripted handler for job types T (default
        e2e) until stdin closes, then stops gracefully. Keys come from COURIER_RUNNER_KEYS. Prints `ready URL pid N`
        on stdout once it listens; a broken type (a bad release) fails every job of T permanently with M; logs go to stderr. GET /test/metrics gives the runner's metrics as text.
        """;

    public required string LedgerPath { get; init; }

    public string Name { get; init; } = "runner";

    public int Port { get; init; }

    public IReadOnlyList<string> JobTypes { get; init; } = ["e2e"];

    public int ExecutionLimitMilliseconds { get; init; } = 5000;

    public int MaxConcurrency { get; init; } = CourierRunnerOptions.DefaultMaxConcurrency;

    public int? MaxBodyBytes { get; init; }

    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>While this file exists the runner is read-only (423).</summary>
    public string? ReadOnlyFile { get; init; }

    public int FailFirst { get; init; }

    public bool Stall { get; init; }

    /// <summary>A job type whose every job this runner fails permanently with <see cref="BrokenMessage"/> (a bad release).</summary>
    public string? BrokenType { get; init; }

    public string BrokenMessage { get; init; } = "broken release";

    public static RunnerArguments Parse(IReadOnlyList<string> args)
    {
        var flags = new FlagArguments(args, Usage);
        var parsed = new RunnerArguments
        {
            LedgerPath = flags.Required("ledger"),
            Name = flags.Text("name") ?? "runner",
            Port = flags.Number("port", 0),
            JobTypes = flags.Text("types")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? ["e2e"],
            ExecutionLimitMilliseconds = flags.Number("execution-limit-ms", 5000),
            MaxConcurrency = flags.Number("max-concurrency", CourierRunnerOptions.DefaultMaxConcurrency),
            MaxBodyBytes = flags.Has("max-body-bytes") ? flags.Number("max-body-bytes", 0) : null,
            RetryAfterSeconds = flags.Number("retry-after-s", 1),
            ReadOnlyFile = flags.Text("read-only-file"),
            FailFirst = flags.Number("fail-first", 0),
            Stall = bool.Parse(flags.Text("stall") ?? "false"),
            BrokenType = flags.Text("broken-type"),
            BrokenMessage = flags.Text("broken-message") ?? "broken release",
        };
        flags.EnsureAllUsed();
        return parsed;
    }
}
